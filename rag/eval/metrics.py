"""Pure metric functions: retrieval ranks, answer overlap, refusal quality, percentiles."""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence

from rag.eval.text import normalise_whitespace

# Articles dropped before token F1, as SQuAD does for English; French and Spanish added,
# with elided forms ("l'", "d'") split off by the apostrophe rule below.
_ARTICLES = {
    "a", "an", "the",
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "d",
    "el", "los", "las", "lo", "uno", "una", "unos", "unas", "del", "al",
}  # fmt: skip
_PUNCTUATION = set(string.punctuation) | set("«»“”‘’„–—…¿¡·")


def first_relevant_rank(ranked: Sequence[str], gold: Collection[str]) -> int | None:
    """1-based rank of the first gold item in ``ranked``, or None when it is absent."""
    for rank, item in enumerate(ranked, start=1):
        if item in gold:
            return rank
    return None


def recall_at_k(ranked: Sequence[str], gold: Collection[str], k: int) -> float:
    """1.0 when a gold item is among the first ``k``, else 0.0 (averaged over questions)."""
    rank = first_relevant_rank(ranked, gold)
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(ranked: Sequence[str], gold: Collection[str]) -> float:
    rank = first_relevant_rank(ranked, gold)
    return 1.0 / rank if rank is not None else 0.0


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def normalise_answer(text: str) -> list[str]:
    """Tokens for F1: lowercased, accents and punctuation removed, articles dropped."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`]", " ", text)  # "l'homme" -> "l homme", so the article can go
    text = "".join(" " if c in _PUNCTUATION else c for c in text)
    return [token for token in text.split() if token not in _ARTICLES]


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD token-overlap F1 between two strings after ``normalise_answer``."""
    predicted, expected = normalise_answer(prediction), normalise_answer(gold)
    if not predicted or not expected:
        return float(predicted == expected)
    common = sum((Counter(predicted) & Counter(expected)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def best_token_f1(prediction: str, golds: Sequence[str]) -> float:
    """The best F1 over the accepted gold answers (SQuAD keeps several per question)."""
    return max((token_f1(prediction, gold) for gold in golds), default=0.0)


def fold_for_keywords(text: str) -> str:
    """Casefolded, accents stripped, every whitespace run (NBSP included) one plain space."""
    decomposed = unicodedata.normalize("NFKD", normalise_whitespace(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def keywords_present(answer: str, groups: Sequence[Sequence[str]]) -> bool:
    """Every group has at least one of its strings in the answer as a substring, both sides
    folded by ``fold_for_keywords`` (the rule of ``real/README.md``; dev asks for case and
    whitespace only, and no dev keyword differs from its answer by accents alone)."""
    text = fold_for_keywords(answer)
    return all(any(fold_for_keywords(k) in text for k in group) for group in groups)


def auroc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve: the chance a positive outranks a negative, ties counting half
    (Mann-Whitney U from average ranks). NaN when one class is missing."""
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positive_rank_sum = sum(r for r, label in zip(ranks, labels, strict=True) if label)
    return (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def refusal_precision_recall(
    refused: Sequence[bool], answerable: Sequence[bool]
) -> tuple[float, float]:
    """Of the refusals, the share that were right (precision); of the unanswerable questions,
    the share refused (recall). NaN where the denominator is zero."""
    hits = sum(1 for r, a in zip(refused, answerable, strict=True) if r and not a)
    n_refused = sum(1 for r in refused if r)
    n_unanswerable = sum(1 for a in answerable if not a)
    precision = hits / n_refused if n_refused else float("nan")
    recall = hits / n_unanswerable if n_unanswerable else float("nan")
    return precision, recall


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) with linear interpolation between order statistics."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
