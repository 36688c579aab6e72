"""Chunk and sentence vectors in Chroma, always ours (Chroma's default model downloads)."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from rag.store.errors import IndexProblem
from rag.types import Chunk

COLLECTION = "chunks"
SENTENCE_COLLECTION = "sentences"
_PAGE = 5000


def _chroma_settings() -> Any:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


@contextmanager
def chroma_errors(where: str) -> Iterator[None]:
    """Turn whatever Chroma raises (many types: database, HTTP, validation) into one line."""
    try:
        yield
    except IndexProblem:
        raise
    except Exception as error:  # chromadb and httpx raise many unrelated types
        detail = str(error).splitlines()[0][:200] if str(error) else ""
        raise IndexProblem(
            f"the vector store at {where} failed ({type(error).__name__}: {detail}); "
            "the index keeps what was committed before"
        ) from error


def open_collections(client: Any, prefix: str = "") -> tuple[Any, Any]:
    """The chunk and the sentence collection (cosine space, no embedding function)."""
    chunks, sentences = (
        client.get_or_create_collection(
            f"{prefix}{name}", embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        for name in (COLLECTION, SENTENCE_COLLECTION)
    )
    return chunks, sentences


def open_persistent_collections(folder: Path) -> tuple[Any, Any]:
    import chromadb

    try:
        client = chromadb.PersistentClient(path=str(folder), settings=_chroma_settings())
        return open_collections(client)
    except Exception as error:  # chromadb raises many types for a damaged or locked database
        raise IndexProblem(
            f"the vector store at {folder} cannot be opened ({type(error).__name__}: {error}); "
            "run `rag index --rebuild` to rebuild the index"
        ) from error


def connect_server(url: str) -> Any:
    """A ``chromadb.HttpClient`` for ``url``; an unreachable server is one line naming it."""
    import chromadb

    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IndexProblem(f"RAG_CHROMA_URL '{url}' is not an http(s)://host:port URL")
    port = parts.port or (443 if parts.scheme == "https" else 8000)
    try:
        return chromadb.HttpClient(
            host=parts.hostname,
            port=port,
            ssl=parts.scheme == "https",
            settings=_chroma_settings(),
        )
    except Exception as error:  # ValueError, httpx errors: all mean "not reachable"
        raise IndexProblem(
            f"cannot reach the Chroma server at {url} ({type(error).__name__}); "
            "is `chroma run` up? (setting RAG_CHROMA_URL)"
        ) from error


class ChromaStore:
    """Add, delete, fetch and search unit vectors; each unit's metadata carries its document id."""

    def __init__(self, collection: Any, where: str = "Chroma") -> None:
        self.collection = collection
        self.where = where

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        with chroma_errors(self.where):
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
        with chroma_errors(self.where):
            for i in range(0, len(doc_ids), 500):
                self.collection.delete(where={"doc_id": {"$in": list(doc_ids[i : i + 500])}})

    def doc_ids(self) -> set[str]:
        """Every document id with vectors stored, committed or not (to find leftovers)."""
        found: set[str] = set()
        offset = 0
        with chroma_errors(self.where):
            while True:
                page = self.collection.get(include=["metadatas"], limit=_PAGE, offset=offset)
                metadatas = page["metadatas"] or []
                found.update(str(m["doc_id"]) for m in metadatas if m)
                if len(metadatas) < _PAGE:
                    return found
                offset += _PAGE

    def count(self) -> int:
        with chroma_errors(self.where):
            return int(self.collection.count())

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``ids`` (those that exist), by id."""
        found: dict[str, np.ndarray] = {}
        with chroma_errors(self.where):
            for i in range(0, len(ids), _PAGE):
                page = self.collection.get(ids=list(ids[i : i + _PAGE]), include=["embeddings"])
                embeddings = page["embeddings"]
                if embeddings is None:
                    continue
                for unit_id, vector in zip(page["ids"], embeddings, strict=True):
                    found[unit_id] = np.asarray(vector, dtype=np.float32)
        return found

    def search(
        self, vector: np.ndarray, k: int, sources: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """``(unit id, cosine similarity)`` pairs, best first (fewer when fewer are stored);
        only units of the documents in ``sources`` when given."""
        # No count() first: it costs more than the query (5-11 ms at 10k chunks / 42k
        # sentences), and Chroma 1.x returns what it has when asked for more.
        if k <= 0:
            return []
        with chroma_errors(self.where):
            result = self.collection.query(
                query_embeddings=[vector],
                n_results=k,
                include=["distances"],
                where=None if sources is None else {"source": {"$in": sorted(sources)}},
            )
        ids = result["ids"][0]
        distances = result["distances"][0]
        return [(chunk_id, 1.0 - float(d)) for chunk_id, d in zip(ids, distances, strict=True)]

    def clear(self) -> None:
        with chroma_errors(self.where):
            while ids := self.collection.get(include=[], limit=_PAGE)["ids"]:
                self.collection.delete(ids=ids)
