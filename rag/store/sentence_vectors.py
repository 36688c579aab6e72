"""Every sentence's embedding for whole documents, as `rag find` and `rag brief` read them."""

from __future__ import annotations

import numpy as np

from rag.retrieval.evidence import SentenceVectors
from rag.standalone import stands_alone
from rag.types import Document, unit_id


class DocumentSentenceVectors:
    """A ``(len(document.sentences), dim)`` array per document version, kept in memory;
    zero rows for sentences that do not stand alone (``rag.standalone``).

    The rows come from the index's sentence vectors (through ``SentenceVectors``, shared with
    answering), so a document indexed once is not embedded again here."""

    def __init__(self, sentence_vectors: SentenceVectors) -> None:
        self.sentence_vectors = sentence_vectors
        self._memory: dict[str, np.ndarray] = {}

    def vectors(self, document: Document) -> np.ndarray:
        key = document.content_hash
        if key not in self._memory:
            texts = [document.text[s:e] for s, e in document.sentences]
            # A fragment has no vector in the index: its row stays zero, similar to nothing.
            # (A document of fragments only is embedded whole, as it was before the filter.)
            rows = [n for n, text in enumerate(texts) if stands_alone(text)] or list(
                range(len(texts))
            )
            found = self.sentence_vectors.vectors(
                [unit_id(document.doc_id, n) for n in rows], [texts[n] for n in rows]
            )
            vectors = np.zeros((len(texts), found.shape[1]), dtype=np.float32)
            vectors[rows] = found
            self._memory[key] = vectors
        return self._memory[key]
