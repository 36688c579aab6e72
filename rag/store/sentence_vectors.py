"""Every sentence's embedding for whole documents, as `rag find` and `rag brief` read them."""

from __future__ import annotations

import numpy as np

from rag.retrieval.evidence import SentenceVectors
from rag.types import Document, unit_id


class DocumentSentenceVectors:
    """A ``(len(document.sentences), dim)`` array per document version, kept in memory.

    The rows come from the index's sentence vectors (through ``SentenceVectors``, shared with
    answering), so a document indexed once is not embedded again here."""

    def __init__(self, sentence_vectors: SentenceVectors) -> None:
        self.sentence_vectors = sentence_vectors
        self._memory: dict[str, np.ndarray] = {}

    def vectors(self, document: Document) -> np.ndarray:
        key = document.content_hash
        if key not in self._memory:
            spans = document.sentences
            self._memory[key] = self.sentence_vectors.vectors(
                [unit_id(document.doc_id, n) for n in range(len(spans))],
                [document.text[s:e] for s, e in spans],
            )
        return self._memory[key]
