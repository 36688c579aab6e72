"""Whether the retrieved evidence answers the question: features, gates and a calibrated score."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from rag.generation.base import Evidence
from rag.ingest.language import detect_question_language
from rag.retrieval.lexical import STOPWORDS, fold

# Fitted by scripts/calibrate_answerability.py: a logistic regression of answerability on the
# best sentence's similarity over 700 SQuAD 2.0 questions, with the threshold that maximises the
# mean of the accuracies on SQuAD 2.0 and dev_qa.jsonl. Word coverage was tried and dropped: on
# SQuAD 2.0 its fitted weight is negative (unanswerable questions there reuse the paragraph's
# words by design). See BENCHMARKS.md for AUROC and the operating point.
WEIGHTS = {"bias": -13.60, "similarity": 15.01}
THRESHOLD = 0.29
# A question in another language than the text scores lower for the same relevance: the median
# gap on XQuAD (same questions in Spanish and English over Spanish text) is 0.0745
# (scripts/measure_crosslingual_shift.py).
CROSS_LINGUAL_SHIFT = 0.0745

# A run of capitalised words ("United States"), an acronym or a number.
_ANCHOR = re.compile(r"\b(?:\d[\d.,:/-]*\w*|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")
_NUMBER = re.compile(r"\d")
_COUNT_QUESTION = re.compile(
    r"\b(how many|how much|what (?:year|date|time|percentage|price)|combien|quelle? (?:année|date|heure)"
    r"|en quelle année|in which year|when|quand|à quelle date)\b",
    re.IGNORECASE,
)
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
    similarity: float  # best evidence sentence score
    same_language: bool
    missing_anchors: tuple[str, ...]  # names/numbers of the question absent from the context
    wants_number: bool
    has_number: bool


def question_anchors(question: str) -> list[str]:
    """Names, acronyms and numbers a supporting text must mention (not the question's first word)."""
    words = question.replace("’", "'").split()
    body = " ".join(words[1:]) if words else ""
    anchors = []
    for match in _ANCHOR.finditer(body):
        token = re.sub(r"['’]s$", "", match.group()).strip("'’-")
        if len(token) < 2 or fold(token) in STOPWORDS or token.lower() in _QUESTION_OPENERS:
            continue
        anchors.append(token)
    return anchors


def _found(anchor: str, folded_text: str, words: frozenset[str]) -> bool:
    """Exact, or close enough to survive translation of a name (China/Chine, Department/département)."""
    folded = fold(anchor)
    if folded in folded_text:
        return True
    from rapidfuzz import fuzz, process

    parts = [p for p in folded.split() if len(p) >= 4]
    return bool(parts) and all(
        process.extractOne(p, words, scorer=fuzz.ratio, score_cutoff=80) is not None for p in parts
    )


def _is_number(anchor: str) -> bool:
    return anchor[0].isdigit()


def _is_acronym(anchor: str) -> bool:
    return anchor.isupper() and len(anchor) <= 4


@lru_cache(maxsize=16)
def _searchable(text: str) -> tuple[str, frozenset[str]]:
    # The context is a whole document: fold it once, not at every question about it
    # (a 75,000-character essay takes ~8 ms).
    folded = fold(text)
    return folded, frozenset(re.findall(r"\w+", folded))


def features(
    question: str, evidence: list[Evidence], document_language: str, context: str
) -> Features:
    """``context`` is the best evidence's document, searched for the question's anchors.

    The whole document, not the passage: a paragraph often names its subject once and then
    says "the company", so where chunks are cut must not decide whether a name is "missing"."""
    best = evidence[0] if evidence else None
    folded_context, words = _searchable(context)
    language = detect_question_language(question)
    missing = tuple(a for a in question_anchors(question) if not _found(a, folded_context, words))
    return Features(
        similarity=best.score if best else 0.0,
        same_language=language == document_language,
        missing_anchors=missing,
        wants_number=bool(_COUNT_QUESTION.search(question)),
        has_number=bool(best and _NUMBER.search(best.text)),
    )


def confidence(f: Features) -> float:
    """Probability-like score that the evidence answers the question."""
    similarity = f.similarity + (0.0 if f.same_language else CROSS_LINGUAL_SHIFT)
    z = WEIGHTS["bias"] + WEIGHTS["similarity"] * similarity
    score = 1.0 / (1.0 + math.exp(-z))
    # Hard evidence of a mismatch: a name or number the text never mentions, or a question
    # asking for a quantity or date where the best sentence has no digit.
    for anchor in f.missing_anchors:
        if _is_number(anchor) or f.same_language:
            score *= 0.2
        elif not _is_acronym(anchor):  # CEO/PDG, US/É.-U.: acronyms are translated
            score *= 0.5
    if f.wants_number and not f.has_number:
        score *= 0.3
    return score
