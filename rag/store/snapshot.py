"""A read-only view of the committed index: documents, chunks, vectors and a keyword index."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from rag.retrieval.lexical import BM25Index
from rag.store.chroma import ChromaStore
from rag.store.documents import DocumentStore
from rag.store.errors import IndexProblem
from rag.store.layout import IndexLayout
from rag.store.manifest import DocumentRecord, Manifest
from rag.types import Chunk, Document


@dataclass
class IndexSnapshot:
    """What queries read. Only documents named by the manifest exist here (the commit rule)."""

    records: dict[str, DocumentRecord]  # by source
    documents: dict[str, Document]  # by doc_id
    chunks: dict[str, Chunk]  # by chunk_id
    chunk_order: list[str]
    vectors: ChromaStore
    manifest_mtime_ns: int

    @classmethod
    def load(cls, layout: IndexLayout, chunk_chars: int, vectors: ChromaStore) -> IndexSnapshot:
        if not layout.exists():
            raise IndexProblem(f"no index at {layout.root}; run `rag index` first")
        mtime = layout.manifest.stat().st_mtime_ns
        manifest = Manifest.load(layout.manifest, chunk_chars)
        store = DocumentStore(layout.documents)
        documents: dict[str, Document] = {}
        chunks: dict[str, Chunk] = {}
        for record in manifest.documents.values():
            document, document_chunks = store.load(record.doc_id)
            documents[record.doc_id] = document
            for chunk in document_chunks:
                chunks[chunk.chunk_id] = chunk
        return cls(
            records=dict(manifest.documents),
            documents=documents,
            chunks=chunks,
            chunk_order=list(chunks),
            vectors=vectors,
            manifest_mtime_ns=mtime,
        )

    @cached_property
    def keyword_index(self) -> BM25Index:
        return BM25Index([self.chunks[chunk_id].text for chunk_id in self.chunk_order])

    @cached_property
    def chunk_position(self) -> dict[str, int]:
        """Each chunk's row in ``chunk_order`` (and in the keyword index's scores)."""
        return {chunk_id: i for i, chunk_id in enumerate(self.chunk_order)}

    def document_by_source(self, source: str) -> Document | None:
        record = self.records.get(source)
        return self.documents.get(record.doc_id) if record else None

    def is_stale(self, layout: IndexLayout) -> bool:
        try:
            return layout.manifest.stat().st_mtime_ns != self.manifest_mtime_ns
        except OSError:
            return True
