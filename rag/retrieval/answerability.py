"""Whether the retrieved evidence answers the question: signals, and a calibrated score on them.

The weights and the threshold are data (answerability.json next to this module), fitted by
scripts/calibrate_answerability.py on the training splits of public sets; the file says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.answer_type import AnswerType, expected_type, mentions
from rag.generation.base import Evidence
from rag.ingest.language import detect_question_language
from rag.logistic import Logistic
from rag.retrieval.evidence import lexical_overlap
from rag.retrieval.lexical import STOPWORDS, BM25Index, fold, tokenize
from rag.store.snapshot import IndexSnapshot
from rag.types import Document, Passage

MODEL_FILE = Path(__file__).with_name("answerability.json")
# Evidence sentences searched for an answer of the expected type: the best one is often the
# question's echo ("Le château de Vitré…") and the date sits in its neighbour.
TYPE_WINDOW = 3
NUMBER_GATE = 0.3
# Every name the question asks about is absent from the document ("mercury on Mars", "the
# population of Tokyo" over a news article): the public sets' corpora are encyclopaedias that
# mention almost every name somewhere, so the fit barely sees this case and weighs it lightly.
NAMES_GATE = 0.5
NAMES_GATE_CROSS_LINGUAL = 0.7  # a name may be translated (Londres/London, Chine/China)

# A run of capitalised words ("United States"), an acronym or a number; not a capital after a
# hyphen that joins it to a lower-case word ("vice-Roi" is the viceroy, not a "Roi").
_ANCHOR = re.compile(
    r"\b(?<![^\W\d_]-)(?:\d[\d.,:/-]*\w*|[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]*)*)"
)
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_QUESTION_OPENERS = {
    "what",
    "who",
    "when",
    "where",
    "which",
    "why",
    "how",
    "according",
    "in",
    "is",
    "does",
}


@dataclass(frozen=True)
class Features:
    """What the decision is taken on; also what a refusal tells the user it looked for."""

    similarity: float  # best evidence sentence score
    margin: float  # best minus second-best sentence score
    same_language: bool
    keyword_agrees: bool  # BM25's best chunk holds the best evidence sentence
    expected: AnswerType
    type_found: bool  # a text of the expected type among the top evidence sentences
    anchors: tuple[str, ...]  # names/numbers of the question
    missing_anchors: tuple[str, ...]  # those absent from the best evidence's document
    missing_words: int = 0  # the question's content words absent from that document
    covered: float = 0.0  # share of the question's content words in the best sentence


def question_anchors(question: str) -> list[str]:
    """Names, acronyms and numbers a supporting text must mention (not the question's first
    word; a French elision "l'Ascend" counts as "Ascend")."""
    words = question.replace("’", "'").split()
    body = " ".join(_ELISION.sub("", w) for w in words[1:]) if words else ""
    anchors = []
    for match in _ANCHOR.finditer(body):
        token = re.sub(r"['’]s$", "", match.group()).strip("'’-")
        if len(token) < 2 or fold(token) in STOPWORDS or token.lower() in _QUESTION_OPENERS:
            continue
        anchors.append(token)
    return anchors


_NUMERAL = re.compile(r"\d(?:[\d.,\u00a0\u202f ]*\d)?")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _found(anchor: str, folded_text: str, words: frozenset[str]) -> bool:
    """Exact, or close enough to survive translation of a name (China/Chine, Department/département);
    a number whatever its separators (1,000 / 1.000 / 1 000)."""
    folded = fold(anchor)
    if folded in folded_text:
        return True
    if is_number(anchor):
        numbers = _numbers(folded_text)
        return any(all(n in numbers for n in form) for form in _number_forms(anchor))
    from rapidfuzz import fuzz, process

    parts = [p for p in folded.split() if len(p) >= 4]
    return bool(parts) and all(
        process.extractOne(p, words, scorer=fuzz.ratio, score_cutoff=80) is not None for p in parts
    )


def _number_forms(anchor: str) -> list[tuple[str, ...]]:
    """The numbers a document may write ``anchor`` as (each form: numbers it must all hold):
    its digits whatever the separators, and a season "1930-31" as "1930-1931" too."""
    forms: list[tuple[str, ...]] = [(_digits(anchor),)]
    season = re.fullmatch(r"((\d\d)\d\d)[-–/](\d\d)", anchor)
    if season:
        forms.append((season.group(1), season.group(2) + season.group(3)))
    return forms


def is_number(anchor: str) -> bool:
    return anchor[0].isdigit()


def _is_acronym(anchor: str) -> bool:
    return anchor.isupper() and len(anchor) <= 4


@lru_cache(maxsize=16)
def _searchable(text: str) -> tuple[str, frozenset[str]]:
    # The context is a whole document: fold it once, not at every question about it
    # (a 75,000-character essay takes ~8 ms).
    folded = fold(text)
    return folded, frozenset(re.findall(r"\w+", folded))


@lru_cache(maxsize=16)
def _numbers(folded_text: str) -> frozenset[str]:
    return frozenset(_digits(m) for m in _NUMERAL.findall(folded_text))


@lru_cache(maxsize=16)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


def searchable_has(context: str, anchor: str) -> bool:
    """Whether ``context`` (a ``document_context``) mentions ``anchor``, as ``features`` reads it."""
    folded, words = _searchable(context)
    return _found(anchor, folded, words)


def document_context(document: Document) -> str:
    """What a question's names are looked for in: the document's text, and its title and path
    ("Jakob_Böhme/003.txt", "apt-get.html"): a paragraph or a manual page names its subject
    there and says "il" or "the command" in its text."""
    path = re.sub(r"[\W_]+", " ", document.source)
    return f"{path}\n{document.title}\n{document.text}"


def without_anchors(text: str, anchors: list[str]) -> str:
    # The question's own numbers and names are no answer: "910D" in "l'Ascend 910D" does not
    # tell its clock frequency.
    for anchor in anchors:
        text = re.sub(re.escape(anchor), " ", text, flags=re.IGNORECASE)
    return text


def keyword_agrees(index: BM25Index, chunk_order: list[str], question: str, chunk_id: str) -> bool:
    """Whether the keyword side's best chunk is ``chunk_id`` (the best evidence's chunk)."""
    scores = index.scores(question)
    if not scores.size or scores.max() <= 0:
        return False
    return chunk_order[int(scores.argmax())] == chunk_id


def features(
    question: str,
    evidence: list[Evidence],
    document_language: str,
    context: str,
    keyword_agrees: bool = False,
) -> Features:
    """``context`` is the best evidence's document, searched for the question's anchors.

    The whole document, not the passage: a paragraph often names its subject once and then
    says "the company", so where chunks are cut must not decide whether a name is "missing"."""
    best = evidence[0] if evidence else None
    folded_context, words = _searchable(context)
    language = detect_question_language(question)
    anchors = question_anchors(question)
    kind = expected_type(question)
    window = " ".join(e.text for e in evidence[:TYPE_WINDOW])
    return Features(
        similarity=best.score if best else 0.0,
        margin=(evidence[0].score - evidence[1].score) if len(evidence) > 1 else 0.0,
        same_language=language == document_language,
        keyword_agrees=keyword_agrees,
        expected=kind,
        type_found=mentions(without_anchors(window, anchors), kind),
        anchors=tuple(anchors),
        missing_anchors=tuple(a for a in anchors if not _found(a, folded_context, words)),
        missing_words=len(set(tokenize(question)) - _tokens(context)),
        covered=lexical_overlap(question, best.text) if best else 0.0,
    )


def feature_vector(f: Features) -> dict[str, float]:
    """The model's inputs, by name (the names of answerability.json's weights)."""
    asked = f.expected not in (AnswerType.OTHER, AnswerType.YES_NO)
    names = [a for a in f.missing_anchors if not is_number(a)]
    # Names are translated (China/Chine), acronyms too (CEO/PDG, US/É.-U.): across languages
    # a missing name says less, and a missing acronym nothing.
    translatable = [a for a in names if not f.same_language and not _is_acronym(a)]
    if not f.same_language:
        names = translatable
    return {
        "similarity": f.similarity,
        "margin": f.margin,
        "cross_lingual": float(not f.same_language),
        "keyword_agrees": float(f.keyword_agrees),
        "type_asked": float(asked),
        "type_missing": float(asked and not f.type_found),
        "names_missing": float(min(2, len(names) - len(translatable))),
        "names_missing_cross_lingual": float(min(2, len(translatable))),
        "numbers_missing": float(min(2, sum(is_number(a) for a in f.missing_anchors))),
        # Across languages most words are "missing": only same-language counts say something.
        "words_missing": float(min(3, f.missing_words)) if f.same_language else 0.0,
        "covered": f.covered,
    }


def _names_all_missing(f: Features) -> bool:
    names = [a for a in f.anchors if not is_number(a)]
    return bool(names) and all(a in f.missing_anchors for a in names)


class Model(Logistic):
    """The logistic over ``feature_vector``, with the rules that stay on top of it."""

    def score(self, f: Features) -> float:
        x = feature_vector(f)
        score = self.probability(x)
        # A number of the question that the document never writes, in any format, is a
        # different question ("sales in 2024" over a text that stops in 2023): the logistic
        # averages it with answerable questions whose number is elsewhere in the corpus, so
        # the rule stays on top of it (held-out effect in docs/bench-answerability.md).
        if x["numbers_missing"]:
            score *= NUMBER_GATE
        if _names_all_missing(f):
            score *= NAMES_GATE if f.same_language else NAMES_GATE_CROSS_LINGUAL
        return score


@lru_cache(maxsize=1)
def model() -> Model:
    return Model.load(MODEL_FILE)


def confidence(f: Features) -> float:
    """Probability-like score that the evidence answers the question."""
    return model().score(f)


def threshold() -> float:
    """The committed operating point (the setting RAG_ANSWER_THRESHOLD overrides it)."""
    return model().threshold


def assess(
    snapshot: IndexSnapshot, question: str, passages: list[Passage], evidence: list[Evidence]
) -> Features | None:
    """The features of one retrieval's outcome; None without evidence (nothing to answer)."""
    if not evidence:
        return None
    chunk = passages[evidence[0].passage_number - 1].chunk
    document = snapshot.documents[chunk.doc_id]
    agrees = keyword_agrees(snapshot.keyword_index, snapshot.chunk_order, question, chunk.chunk_id)
    return features(question, evidence, document.language, document_context(document), agrees)
