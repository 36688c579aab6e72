"""The two halves of an index store, whichever Chroma (embedded or server) holds them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from rag.store.manifest import Manifest
from rag.types import Chunk, Document


class VectorStore(Protocol):
    """Unit (chunk or sentence) vectors, each tagged with its document id; cosine search."""

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None: ...

    def delete_documents(self, doc_ids: Sequence[str]) -> None: ...

    def doc_ids(self) -> set[str]: ...

    def count(self) -> int: ...

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]: ...

    def search(
        self, vector: np.ndarray, k: int, sources: Collection[str] | None = None
    ) -> list[tuple[str, float]]: ...

    def clear(self) -> None: ...


class Catalog(Protocol):
    """The manifest (the commit point) and each document's text, by ``doc_id``.

    ``version()`` changes at every manifest commit, so readers know when to reload; a
    document's text stays readable until a later commit has stopped naming it.
    """

    location: str  # named in messages: a folder, or a Chroma URL and collection prefix

    def exists(self) -> bool: ...

    def version(self) -> str | None: ...

    def load_manifest(self, chunk_chars: int) -> Manifest: ...

    def save_manifest(self, manifest: Manifest) -> None: ...

    def save_document(self, document: Document, chunks: list[Chunk]) -> None: ...

    def load_document(self, doc_id: str) -> tuple[Document, list[Chunk]]: ...

    def has_document(self, doc_id: str) -> bool: ...

    def delete_documents(self, doc_ids: Sequence[str]) -> None: ...

    def document_ids(self) -> set[str]: ...

    def clear(self) -> None: ...

    def writer_lock(self) -> AbstractContextManager[None]: ...


@dataclass(frozen=True)
class IndexStore:
    """Where one index lives: its catalog, its chunk vectors and its sentence vectors."""

    catalog: Catalog
    vectors: VectorStore
    sentences: VectorStore

    @property
    def vector_stores(self) -> tuple[VectorStore, VectorStore]:
        return (self.vectors, self.sentences)

    def exists(self) -> bool:
        return self.catalog.exists()
