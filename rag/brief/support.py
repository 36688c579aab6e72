"""Whether a written bullet says what its cited sentences say: near-quote or close in meaning."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from rag.brief.abstractive import Supports
from rag.embedding import Embedder
from rag.find.normalise import normalise
from rag.find.thresholds import Thresholds
from rag.retrieval.evidence import SentenceVectors
from rag.types import Citation, Document


def cited_support(
    embedder: Embedder,
    sentence_vectors: SentenceVectors,
    documents: dict[str, Document],  # by source
    thresholds: Thresholds,
) -> Supports:
    """The check `rag find` applies, restricted to the cited sentences: a bullet is supported
    when it fuzzily quotes one of them or is as close in meaning as a found translation."""

    def supports(text: str, citations: Sequence[Citation]) -> bool:
        folded = normalise(text).text
        for c in citations:
            if fuzz.partial_ratio(folded, normalise(c.quote).text) / 100 >= thresholds.fuzzy:
                return True
        keys = [(documents[c.source].doc_id, c.start, c.end) for c in citations]
        vectors = sentence_vectors.vectors(keys, [c.quote for c in citations])
        return bool((vectors @ embedder.embed_query(text)).max() >= thresholds.semantic_floor)

    return supports
