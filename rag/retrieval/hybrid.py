"""Hybrid retrieval: dense vectors and BM25, fused so that neither side drowns the other."""

from __future__ import annotations

import numpy as np

from rag.retrieval.fusion import convex_fusion
from rag.store.snapshot import IndexSnapshot
from rag.types import Passage

# Candidates taken from each side before fusion; fusion re-ranks within them.
_CANDIDATES = 50
# The keyword side's share of the fused score when every question word occurs in the corpus;
# scaled down by the share that does (docs/retrieval-experiments.md: PIAF and XQuAD EN->ES).
KEYWORD_SHARE = 0.3


def retrieve(
    snapshot: IndexSnapshot, query: str, query_vector: np.ndarray, k: int
) -> list[Passage]:
    """The ``k`` best committed chunks for ``query``, best first."""
    if not snapshot.chunks:
        return []
    fetch = max(_CANDIDATES, 3 * k)
    # Vectors of uncommitted documents (an interrupted run) may sit in the store: skip them.
    dense = [
        (cid, score)
        for cid, score in snapshot.vectors.search(query_vector, fetch + 10)
        if cid in snapshot.chunks
    ][:fetch]

    keywords = snapshot.keyword_index
    scores = keywords.scores(query)
    keyword: list[str] = []
    if scores.any():
        top = np.argsort(-scores)[:fetch]
        keyword = [snapshot.chunk_order[i] for i in top if scores[i] > 0]

    candidates = list(dict.fromkeys([cid for cid, _ in dense] + keyword))
    dense_scores = dict(dense)
    # A keyword-only candidate is below every dense hit: the lowest fetched score bounds it.
    floor = min(dense_scores.values(), default=0.0)
    position = snapshot.chunk_position
    fused = convex_fusion(
        np.array([dense_scores.get(cid, floor) for cid in candidates], dtype=np.float32),
        np.array([scores[position[cid]] for cid in candidates], dtype=np.float32),
        KEYWORD_SHARE * keywords.coverage(query),
    )
    order = np.argsort(-fused, kind="stable")[:k]
    return [Passage(snapshot.chunks[candidates[i]], float(fused[i])) for i in order]
