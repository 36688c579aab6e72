"""Incremental indexing: embed only new or changed documents, commit each batch atomically."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rag.chunking import chunk_document, sentence_units
from rag.embedding import Embedder
from rag.ingest import SkippedFile, iter_corpus_files, load_document
from rag.ingest.loader import read_bytes, relative_source
from rag.ingest.readers import UnreadableFile
from rag.settings import Settings
from rag.store.base import IndexStore
from rag.store.errors import IndexProblem
from rag.store.manifest import MANIFEST_VERSION, DocumentRecord, Manifest
from rag.store.registry import open_index_store
from rag.types import Chunk, Document

Progress = Callable[[int, int], None]


@dataclass
class IndexReport:
    documents: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    repaired: int = 0
    passages_embedded: int = 0
    sentences_embedded: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "chunks": self.chunks,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "repaired": self.repaired,
            "passages_embedded": self.passages_embedded,
            "sentences_embedded": self.sentences_embedded,
            "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "seconds": round(self.seconds, 3),
        }


@dataclass
class _Pending:
    document: Document
    chunks: list[Chunk]
    file_hash: str
    size: int
    mtime_ns: int


def _file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Indexer:
    """Brings the index in line with the corpus folder; safe to interrupt at any point."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        store: IndexStore | None = None,
        commit_every: int | None = None,
    ):
        self.settings = settings
        self.commit_every = commit_every or settings.commit_every_chunks
        self.embedder = embedder
        self._store = store

    def run(self, rebuild: bool = False, progress: Progress | None = None) -> IndexReport:
        corpus = self.settings.corpus_dir
        if not corpus.is_dir():
            raise IndexProblem(f"the corpus folder {corpus} does not exist or is not a folder")
        index = self._store or open_index_store(self.settings)
        with index.catalog.writer_lock():
            if rebuild:
                index.catalog.clear()  # the manifest first: nothing is served from here on
                for vectors in index.vector_stores:
                    vectors.clear()
            return self._update(corpus, index, progress)

    def _update(self, corpus: Path, index: IndexStore, progress: Progress | None) -> IndexReport:
        started = time.perf_counter()
        report = IndexReport()
        store = index.catalog
        manifest = store.load_manifest(self.settings.chunk_chars)
        if (manifest.chunk_chars, manifest.version) != (
            self.settings.chunk_chars,
            MANIFEST_VERSION,
        ):
            # Other chunks, or an index from before sentence vectors: everything is embedded
            # again, and the old version's vectors are removed as leftovers.
            manifest = Manifest(documents={}, chunk_chars=self.settings.chunk_chars)
        report.repaired = self._repair(manifest, index)

        pending: list[_Pending] = []
        seen: set[str] = set()
        for path in iter_corpus_files(corpus, report.skipped):
            source = relative_source(path, corpus)
            seen.add(source)
            try:
                item = self._check_file(path, corpus, manifest.documents.get(source))
            except UnreadableFile as error:
                report.skipped.append(SkippedFile(source, str(error)))
                seen.discard(source)  # an unreadable file is dropped from the index, with a reason
                continue
            if isinstance(item, DocumentRecord):
                if item != manifest.documents.get(source):
                    manifest.documents[source] = item  # same bytes, new timestamp
                report.unchanged += 1
            else:
                pending.append(item)

        removed = [source for source in manifest.documents if source not in seen]
        stale_ids = [manifest.documents[source].doc_id for source in removed]
        for source in removed:
            del manifest.documents[source]
        report.removed = len(removed)
        store.save_manifest(manifest)
        self._forget(stale_ids, index)

        self._embed_and_commit(pending, manifest, index, report, progress)
        report.documents = len(manifest.documents)
        report.chunks = sum(r.chunks for r in manifest.documents.values())
        report.seconds = time.perf_counter() - started
        return report

    def _check_file(
        self, path: Path, corpus: Path, known: DocumentRecord | None
    ) -> DocumentRecord | _Pending:
        try:
            stat = path.stat()
        except OSError as error:
            raise UnreadableFile(f"cannot read file ({error.strerror or error})") from error
        if known and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
            return known
        data = read_bytes(path)
        file_hash = _file_hash(data)
        if known and known.file_hash == file_hash:
            return DocumentRecord(
                **{**known.__dict__, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
            )
        document = load_document(path, corpus, data)
        limit = self.settings.max_document_chars
        if len(document.text) > limit:  # bounds the work one file can cost
            raise UnreadableFile(
                f"too long ({len(document.text):,} characters > {limit:,}; "
                "setting RAG_MAX_DOCUMENT_CHARS)"
            )
        document, chunks = chunk_document(document, self.settings.chunk_chars)
        return _Pending(document, chunks, file_hash, stat.st_size, stat.st_mtime_ns)

    def _embed_and_commit(
        self,
        pending: list[_Pending],
        manifest: Manifest,
        index: IndexStore,
        report: IndexReport,
        progress: Progress | None,
    ) -> None:
        total = sum(len(p.chunks) for p in pending)
        done = 0
        batch: list[_Pending] = []
        for item in pending:
            batch.append(item)
            if sum(len(p.chunks) for p in batch) >= self.commit_every or item is pending[-1]:
                self._commit_batch(batch, manifest, index, report)
                done += sum(len(p.chunks) for p in batch)
                batch = []
                if progress:
                    progress(done, total)

    def _commit_batch(
        self,
        batch: list[_Pending],
        manifest: Manifest,
        index: IndexStore,
        report: IndexReport,
    ) -> None:
        store = index.catalog
        chunks = [chunk for item in batch for chunk in item.chunks]
        sentences = [unit for item in batch for unit in sentence_units(item.document)]
        # One call for both: the embedder batches them together.
        embeddings = self.embedder.embed_passages([unit.text for unit in chunks + sentences])
        report.passages_embedded += len(chunks)
        report.sentences_embedded += len(sentences)
        # Text first, then vectors, then the manifest: until the manifest names a document,
        # readers ignore its vectors, so a crash here leaves only leftovers for _repair.
        for item in batch:
            store.save_document(item.document, item.chunks)
        index.vectors.add(chunks, embeddings[: len(chunks)])
        index.sentences.add(sentences, embeddings[len(chunks) :])
        replaced: list[str] = []
        now = time.time()
        for item in batch:
            doc = item.document
            previous = manifest.documents.get(doc.source)
            if previous is None:
                report.added += 1
            else:
                report.updated += 1
                if previous.doc_id != doc.doc_id:
                    replaced.append(previous.doc_id)
            manifest.documents[doc.source] = DocumentRecord(
                source=doc.source,
                doc_id=doc.doc_id,
                content_hash=doc.content_hash,
                file_hash=item.file_hash,
                size=item.size,
                mtime_ns=item.mtime_ns,
                title=doc.title,
                language=doc.language,
                chunks=len(item.chunks),
                indexed_at=now,
            )
        store.save_manifest(manifest)
        self._forget(replaced, index)

    def _repair(self, manifest: Manifest, index: IndexStore) -> int:
        """Drop what an interrupted run left behind; re-index documents whose text went missing."""
        store = index.catalog
        stored = set(store.document_ids())
        for vectors in index.vector_stores:
            stored |= vectors.doc_ids()
        leftovers = sorted(stored - manifest.doc_ids())
        self._forget(leftovers, index)
        missing = [s for s, r in manifest.documents.items() if not store.has_document(r.doc_id)]
        for source in missing:
            del manifest.documents[source]
        return len(leftovers) + len(missing)

    @staticmethod
    def _forget(doc_ids: list[str], index: IndexStore) -> None:
        if not doc_ids:
            return
        for vectors in index.vector_stores:
            vectors.delete_documents(doc_ids)
        index.catalog.delete_documents(doc_ids)
