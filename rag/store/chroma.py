"""The chunk vectors in Chroma, always with our own vectors (Chroma's default model downloads)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.store.errors import IndexProblem
from rag.types import Chunk

COLLECTION = "chunks"
_PAGE = 5000


def open_persistent_collection(folder: Path) -> Any:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    try:
        client = chromadb.PersistentClient(
            path=str(folder), settings=ChromaSettings(anonymized_telemetry=False)
        )
        return client.get_or_create_collection(
            COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
    except Exception as error:  # chromadb raises many types for a damaged or locked database
        raise IndexProblem(
            f"the vector store at {folder} cannot be opened ({type(error).__name__}: {error}); "
            "run `rag index --rebuild` to rebuild the index"
        ) from error


class ChromaStore:
    """Add, delete and search chunk vectors; each chunk's metadata carries its document id."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        for i in range(0, len(chunks), _PAGE):
            batch = chunks[i : i + _PAGE]
            self.collection.upsert(
                ids=[c.chunk_id for c in batch],
                embeddings=vectors[i : i + _PAGE],
                metadatas=[
                    {
                        "source": c.source,
                        "doc_id": c.doc_id,
                        "index": c.index,
                        "start": c.start,
                        "end": c.end,
                    }
                    for c in batch
                ],
            )

    def delete_documents(self, doc_ids: Sequence[str]) -> None:
        for i in range(0, len(doc_ids), 500):
            self.collection.delete(where={"doc_id": {"$in": list(doc_ids[i : i + 500])}})

    def doc_ids(self) -> set[str]:
        """Every document id with vectors stored, committed or not (to find leftovers)."""
        found: set[str] = set()
        offset = 0
        while True:
            page = self.collection.get(include=["metadatas"], limit=_PAGE, offset=offset)
            metadatas = page["metadatas"] or []
            found.update(str(m["doc_id"]) for m in metadatas if m)
            if len(metadatas) < _PAGE:
                return found
            offset += _PAGE

    def count(self) -> int:
        return int(self.collection.count())

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """``(chunk_id, cosine similarity)`` pairs, best first."""
        k = min(k, self.count())
        if k == 0:
            return []
        result = self.collection.query(
            query_embeddings=[vector], n_results=k, include=["distances"]
        )
        ids = result["ids"][0]
        distances = result["distances"][0]
        return [(chunk_id, 1.0 - float(d)) for chunk_id, d in zip(ids, distances, strict=True)]
