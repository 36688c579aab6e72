"""Rank fusion of the dense and keyword result lists."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np


def term_coverage(query_terms: Sequence[str], vocabulary: Collection[str]) -> float:
    """Share of the query's keyword terms that occur in the corpus at all (0 when none)."""
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
    """``(1 - w) * dense + w * keyword`` on min-max normalised scores of the same candidates.

    Unlike RRF this keeps how far apart the candidates are: a dense winner by a wide margin
    is not overturned by a keyword list that is confident about something else."""
    return (1.0 - keyword_share) * minmax(dense) + keyword_share * minmax(keyword)
