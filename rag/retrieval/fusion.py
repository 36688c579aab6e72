"""Rank fusion of the dense and keyword result lists."""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60


def fuse(
    dense: Sequence[str],
    keyword: Sequence[str],
    keyword_weight: float,
    dense_weight: float = 1.0,
) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion; ids ranked by the summed ``weight / (k + rank)``.

    The keyword weight is passed in so callers can lower it when the keyword side has little
    to go on (an English question over French text), instead of letting it drown the dense side.
    """
    scores: dict[str, float] = {}
    for weight, ranking in ((dense_weight, dense), (keyword_weight, keyword)):
        if weight <= 0:
            continue
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + weight / (RRF_K + rank + 1)
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)
