"""Hybrid retrieval: dense vectors and BM25, fused so that neither side drowns the other."""

from __future__ import annotations

import numpy as np

from rag.retrieval.fusion import fuse
from rag.store.snapshot import IndexSnapshot
from rag.types import Passage

# Candidates taken from each side before fusion; fusion re-ranks within them.
_CANDIDATES = 50


def retrieve(
    snapshot: IndexSnapshot, query: str, query_vector: np.ndarray, k: int
) -> list[Passage]:
    """The ``k`` best committed chunks for ``query``, best first."""
    if not snapshot.chunks:
        return []
    fetch = max(_CANDIDATES, 3 * k)
    # Vectors of uncommitted documents (an interrupted run) may sit in the store: skip them.
    dense = [
        cid
        for cid, _ in snapshot.vectors.search(query_vector, fetch + 10)
        if cid in snapshot.chunks
    ]
    dense = dense[:fetch]

    keywords = snapshot.keyword_index
    scores = keywords.scores(query)
    keyword: list[str] = []
    if scores.any():
        top = np.argsort(-scores)[:fetch]
        keyword = [snapshot.chunk_order[i] for i in top if scores[i] > 0]
    fused = fuse(dense, keyword, keyword_weight=keywords.coverage(query))
    return [Passage(snapshot.chunks[cid], score) for cid, score in fused[:k]]
