"""A read-only view of the committed index: documents, chunks, vectors and a keyword index."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from rag.retrieval.lexical import BM25Index
from rag.store.base import IndexStore, VectorStore
from rag.store.errors import IndexProblem
from rag.store.manifest import DocumentRecord
from rag.types import Chunk, Document, unit_id

# A writer may commit while a reader loads; the reader starts over from the new version.
_LOAD_ATTEMPTS = 5


def _committed_part(
    document: Document, chunks: list[Chunk], record: DocumentRecord
) -> tuple[Document, list[Chunk]]:
    """A partly indexed document as far as it is committed: its first chunks and their sentences."""
    chunks = chunks[: record.chunks]
    end = chunks[-1].end if chunks else 0
    sentences = tuple(span for span in document.sentences if span[1] <= end)
    return replace(document, sentences=sentences), chunks


@dataclass
class IndexSnapshot:
    """What queries read. Only documents named by the manifest exist here (the commit rule)."""

    records: dict[str, DocumentRecord]  # by source
    documents: dict[str, Document]  # by doc_id
    chunks: dict[str, Chunk]  # by chunk_id
    chunk_order: list[str]
    vectors: VectorStore
    sentences: VectorStore
    version: str | None  # the catalog version this view was loaded from

    @classmethod
    def load(cls, store: IndexStore, chunk_chars: int) -> IndexSnapshot:
        catalog = store.catalog
        for attempt in range(_LOAD_ATTEMPTS):
            version = catalog.version()
            if version is None:
                raise IndexProblem(f"no index at {catalog.location}; run `rag index` first")
            try:
                snapshot = cls._load_version(store, chunk_chars, version)
            except IndexProblem:
                if catalog.version() == version or attempt == _LOAD_ATTEMPTS - 1:
                    raise  # damaged, not merely replaced while we read it
                continue
            if catalog.version() == version:
                return snapshot
        raise IndexProblem(f"the index at {catalog.location} kept changing while being read")

    @classmethod
    def _load_version(cls, store: IndexStore, chunk_chars: int, version: str) -> IndexSnapshot:
        manifest = store.catalog.load_manifest(chunk_chars)
        documents: dict[str, Document] = {}
        chunks: dict[str, Chunk] = {}
        for record in manifest.documents.values():
            document, document_chunks = store.catalog.load_document(record.doc_id)
            if not record.complete:
                document, document_chunks = _committed_part(document, document_chunks, record)
            documents[record.doc_id] = document
            for chunk in document_chunks:
                chunks[chunk.chunk_id] = chunk
        return cls(
            records=dict(manifest.documents),
            documents=documents,
            chunks=chunks,
            chunk_order=list(chunks),
            vectors=store.vectors,
            sentences=store.sentences,
            version=version,
        )

    @cached_property
    def keyword_index(self) -> BM25Index:
        return BM25Index([self.chunks[chunk_id].text for chunk_id in self.chunk_order])

    @cached_property
    def chunk_position(self) -> dict[str, int]:
        """Each chunk's row in ``chunk_order`` (and in the keyword index's scores)."""
        return {chunk_id: i for i, chunk_id in enumerate(self.chunk_order)}

    @cached_property
    def sentence_chunk(self) -> dict[str, str]:
        """The chunk id holding each sentence unit (``doc_id:n``, n its place in the document)."""
        owner: dict[str, str] = {}
        chunks_of: dict[str, list[Chunk]] = {}
        for chunk in self.chunks.values():
            chunks_of.setdefault(chunk.doc_id, []).append(chunk)
        for doc_id, chunks in chunks_of.items():
            spans = self.documents[doc_id].sentences
            n = 0
            for chunk in sorted(chunks, key=lambda c: c.start):
                # Chunks are runs of whole sentences, in order: walk both lists once.
                while n < len(spans) and spans[n][1] <= chunk.end:
                    owner[unit_id(doc_id, n)] = chunk.chunk_id
                    n += 1
        return owner

    def source_mask(self, sources: frozenset[str]) -> np.ndarray:
        """Which rows of ``chunk_order`` (and of the keyword scores) belong to ``sources``."""
        return np.fromiter(
            (self.chunks[chunk_id].source in sources for chunk_id in self.chunk_order),
            dtype=bool,
            count=len(self.chunk_order),
        )

    def document_by_source(self, source: str) -> Document | None:
        record = self.records.get(source)
        return self.documents.get(record.doc_id) if record else None

    def is_stale(self, store: IndexStore) -> bool:
        try:
            return store.catalog.version() != self.version
        except IndexProblem:
            return False  # the server is briefly unreachable: keep answering from memory
