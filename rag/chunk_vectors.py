"""A chunk's vector pooled from the vectors of its sentences, so each text is embedded once.

Every sentence that stands alone gets a vector of its own (``rag.standalone``), and a chunk is
a run of whole sentences: embedding the chunk too gave the model each character twice, and
the model's time is nearly all of an index run's (docs/indexing-throughput.md). e5 pools a
text's vector as the mean of its tokens' states, so the length-weighted mean of the sentence
vectors is the chunk's vector with each sentence's tokens attending within their sentence
only; retrieval was measured the same (docs/indexing-throughput.md, "Pooled chunk vectors").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import numpy as np

from rag.types import Chunk


def pooled_chunk_vectors(
    chunks: Sequence[Chunk], units: Sequence[Chunk], vectors: np.ndarray
) -> tuple[np.ndarray, list[int]]:
    """Each chunk's normalised mean of the vectors of the ``units`` (sentences, in order, of
    the same documents) inside it, weighted by length; and the indexes of the chunks with no
    unit inside, whose rows are left zero for the caller to embed."""
    dim = vectors.shape[1] if len(units) else 0
    pooled = np.zeros((len(chunks), dim), dtype=np.float32)
    if not units:
        return pooled, list(range(len(chunks)))
    by_doc: dict[str, list[int]] = {}
    for n, chunk in enumerate(chunks):
        by_doc.setdefault(chunk.doc_id, []).append(n)
    starts = {doc: [chunks[n].start for n in rows] for doc, rows in by_doc.items()}
    for unit, vector in zip(units, vectors, strict=True):
        rows = by_doc.get(unit.doc_id)
        if rows is None:
            continue
        at = bisect_right(starts[unit.doc_id], unit.start) - 1
        if at >= 0 and unit.end <= chunks[rows[at]].end:
            pooled[rows[at]] += len(unit.text) * vector
    norms = np.linalg.norm(pooled, axis=1)
    missing = [n for n in range(len(chunks)) if norms[n] == 0.0]
    pooled[norms > 0] /= norms[norms > 0, None]
    return pooled, missing
