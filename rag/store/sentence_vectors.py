"""Every sentence's embedding, one file per document version, so lookups embed a text once."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.retrieval.evidence import SentenceVectors
from rag.types import Document


class DocumentSentenceVectors:
    """``folder/<content_hash>.npy`` holds one row per sentence of that text, in order.

    Shared by `rag find` and `rag brief`: rows also go into the assistant's in-memory
    sentence cache, so answering questions reuses them too.
    """

    def __init__(self, folder: Path | None, sentence_vectors: SentenceVectors) -> None:
        self.folder = folder
        self.sentence_vectors = sentence_vectors
        self._memory: dict[str, np.ndarray] = {}

    def _path(self, document: Document) -> Path | None:
        return self.folder / f"{document.content_hash}.npy" if self.folder else None

    def vectors(self, document: Document) -> np.ndarray:
        """A ``(len(document.sentences), dim)`` array of the document's sentence embeddings."""
        key = document.content_hash
        if key in self._memory:
            return self._memory[key]
        path = self._path(document)
        rows: np.ndarray | None = None
        if path is not None and path.exists():
            try:
                rows = np.load(path)
            except (OSError, ValueError):
                rows = None  # a torn file: embed again
            if rows is not None and rows.shape[0] != len(document.sentences):
                rows = None  # sentence splitting changed since the file was written
        if rows is None:
            keys = [(document.doc_id, s, e) for s, e in document.sentences]
            rows = self.sentence_vectors.vectors(
                keys, [document.text[s:e] for s, e in document.sentences]
            )
            self._save(path, rows)
        self._memory[key] = rows
        return rows

    @staticmethod
    def _save(path: Path | None, rows: np.ndarray) -> None:
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp.npy")
            np.save(partial, rows)
            partial.replace(path)
        except OSError:
            pass  # a read-only index folder still answers, it just embeds again next time
