"""Combining ranked lists from several retrievers into one ranking."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

import numpy as np

K = TypeVar("K", bound=Hashable)

RRF_K = 60  # the constant of Cormack et al. (2009); small changes barely move results


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[K]], weights: Sequence[float] | None = None, k: int = RRF_K
) -> list[tuple[K, float]]:
    """Items by weighted sum of ``1 / (k + rank)`` over the rankings, best first; ties keep
    the order in which items were first seen, so the result is deterministic."""
    weights = weights if weights is not None else [1.0] * len(rankings)
    scores: dict[K, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def keyword_weight(query_terms: Sequence[str], vocabulary: Mapping[str, int] | set[str]) -> float:
    """Share of the query's keyword terms that occur in the corpus at all (0 when none).

    A question in another language than the documents finds few of its words in them; its
    BM25 ranking is then mostly noise and should count less in the fusion."""
    if not query_terms:
        return 0.0
    return sum(1 for term in query_terms if term in vocabulary) / len(query_terms)


def minmax(scores: np.ndarray) -> np.ndarray:
    """Scores rescaled to 0..1 (all zeros when they are all equal)."""
    if scores.size == 0:
        return scores
    low, high = float(scores.min()), float(scores.max())
    return (scores - low) / (high - low) if high > low else np.zeros_like(scores)


def convex_fusion(dense: np.ndarray, keyword: np.ndarray, keyword_share: float) -> np.ndarray:
    """``(1 - w) * dense + w * keyword`` on min-max normalised scores of the same candidates."""
    return (1.0 - keyword_share) * minmax(dense) + keyword_share * minmax(keyword)
