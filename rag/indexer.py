"""Incremental indexing: embed only new or changed documents, commit in batches as it goes."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from rag.chunk_vectors import pooled_chunk_vectors
from rag.chunking import chunk_document
from rag.embedding import Embedder
from rag.index_batches import PendingDocument, Slice, slices
from rag.index_report import IndexProgress, IndexReport, Progress
from rag.ingest import SkippedFile, iter_corpus_files, load_document
from rag.ingest.loader import read_bytes, relative_source
from rag.ingest.readers import UnreadableFile
from rag.settings import Settings
from rag.standalone import stands_alone
from rag.store.base import IndexStore
from rag.store.errors import IndexProblem
from rag.store.manifest import MANIFEST_VERSION, DocumentRecord, Manifest
from rag.store.registry import open_index_store
from rag.types import Chunk

__all__ = ["IndexProgress", "IndexReport", "Indexer", "Progress"]

# Texts remembered with their vector during a run, so repeated page headers, footers and
# boilerplate sentences are embedded once.
_REMEMBERED_TEXTS = 20_000


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
        self._remembered: dict[str, np.ndarray] = {}

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

        pending: list[PendingDocument] = []
        seen: set[str] = set()
        paths = list(iter_corpus_files(corpus, report.skipped))
        for number, path in enumerate(paths, start=1):
            source = relative_source(path, corpus)
            seen.add(source)
            try:
                item = self._check_file(path, corpus, manifest.documents.get(source), report)
            except UnreadableFile as error:
                report.skipped.append(SkippedFile(source, str(error)))
                seen.discard(source)  # an unreadable file is dropped from the index, with a reason
                continue
            finally:
                if progress:
                    progress(IndexProgress("reading", number, len(paths), "files"))
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
        with report.timed("commit"):
            store.save_manifest(manifest)
        self._forget(stale_ids, index)

        self._embed_and_commit(pending, manifest, index, report, progress)
        report.documents = len(manifest.documents)
        report.chunks = sum(r.chunks for r in manifest.documents.values())
        report.seconds = time.perf_counter() - started
        return report

    def _check_file(
        self, path: Path, corpus: Path, known: DocumentRecord | None, report: IndexReport
    ) -> DocumentRecord | PendingDocument:
        try:
            stat = path.stat()
        except OSError as error:
            raise UnreadableFile(f"cannot read file ({error.strerror or error})") from error
        complete = known is not None and known.complete
        if known and complete and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            return known
        with report.timed("read"):
            data = read_bytes(path)
        file_hash = _file_hash(data)
        if known and complete and known.file_hash == file_hash:
            return replace(known, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
        with report.timed("read"):
            document = load_document(path, corpus, data)
        limit = self.settings.max_document_chars
        if len(document.text) > limit:  # bounds the work one file can cost
            raise UnreadableFile(
                f"too long ({len(document.text):,} characters > {limit:,}; "
                "setting RAG_MAX_DOCUMENT_CHARS)"
            )
        with report.timed("split"):
            document, chunks = chunk_document(document, self.settings.chunk_chars)
        item = PendingDocument(document, chunks, file_hash, stat.st_size, stat.st_mtime_ns)
        if (
            known
            and not complete
            and known.doc_id == document.doc_id
            and known.chunks + known.pending_chunks == len(chunks)
        ):
            item.first_chunk = known.chunks  # the same version, partly committed: resume
        return item

    def _embed_and_commit(
        self,
        pending: list[PendingDocument],
        manifest: Manifest,
        index: IndexStore,
        report: IndexReport,
        progress: Progress | None,
    ) -> None:
        total = sum(item.characters for item in pending)
        report.characters = sum(len(item.document.text) for item in pending)
        done = 0
        if progress and pending:
            progress(IndexProgress("embedding", 0, total, "characters"))
        for batch in slices(pending, self.commit_every):
            self._commit_batch(batch, manifest, index, report)
            done += sum(len(chunk.text) for part in batch for chunk in part.chunks)
            if progress:
                progress(IndexProgress("embedding", done, total, "characters"))
        self._remembered.clear()

    def _embed(self, units: Sequence[Chunk], report: IndexReport) -> np.ndarray:
        """Vectors of ``units``; a text seen before in this run (or twice here) is embedded once."""
        texts = [unit.text for unit in units]
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        known = {text: self._remembered[text] for text in texts if text in self._remembered}
        fresh = [text for text in dict.fromkeys(texts) if text not in known]
        if fresh:
            known.update(zip(fresh, self.embedder.embed_passages(fresh), strict=True))
            report.texts_embedded += len(fresh)
            if len(self._remembered) + len(fresh) > _REMEMBERED_TEXTS:
                self._remembered.clear()
            self._remembered.update((text, known[text]) for text in fresh)
        return np.vstack([known[text] for text in texts])

    def _vectors(
        self, batch: list[Slice], chunks: list[Chunk], report: IndexReport
    ) -> tuple[np.ndarray, list[Chunk], np.ndarray]:
        """The chunks' vectors, the sentences that get one, and theirs."""
        if self.settings.chunk_vectors == "embedded":
            sentences = [unit for part in batch for unit in part.sentences()]
            with report.timed("embed_chunks"):
                chunk_vectors = self._embed(chunks, report)
            with report.timed("embed_sentences"):
                return chunk_vectors, sentences, self._embed(sentences, report)
        # Pooled: every unit is embedded once (fragments too, so a chunk's vector holds its
        # headings and table cells), and only the ones that stand alone are kept as sentences.
        units = [unit for part in batch for unit in part.units()]
        with report.timed("embed_sentences"):
            unit_vectors = self._embed(units, report)
        with report.timed("embed_chunks"):
            chunk_vectors, missing = pooled_chunk_vectors(chunks, units, unit_vectors)
            if missing:  # a chunk with no sentence inside (not made by chunk_document)
                fresh = self._embed([chunks[n] for n in missing], report)
                if chunk_vectors.shape[1] == 0:
                    chunk_vectors = np.zeros((len(chunks), fresh.shape[1]), dtype=np.float32)
                chunk_vectors[missing] = fresh
        keep = [n for n, unit in enumerate(units) if stands_alone(unit.text)]
        return chunk_vectors, [units[n] for n in keep], unit_vectors[keep]

    def _commit_batch(
        self,
        batch: list[Slice],
        manifest: Manifest,
        index: IndexStore,
        report: IndexReport,
    ) -> None:
        store = index.catalog
        chunks = [chunk for part in batch for chunk in part.chunks]
        chunk_vectors, sentences, sentence_vectors = self._vectors(batch, chunks, report)
        report.passages_embedded += len(chunks)
        report.sentences_embedded += len(sentences)
        # Text first, then vectors, then the manifest: readers use only the chunks the
        # manifest names, so a crash here leaves only leftovers for _repair or the next run.
        with report.timed("write_documents"):
            for part in batch:
                if part.start == part.item.first_chunk:  # the first slice of this run
                    store.save_document(part.item.document, part.item.chunks)
        with report.timed("write_vectors"):
            if chunks:
                index.vectors.add(chunks, chunk_vectors)
            if sentences:
                index.sentences.add(sentences, sentence_vectors)
        replaced: list[str] = []
        now = time.time()
        for part in batch:
            item, doc = part.item, part.item.document
            previous = manifest.documents.get(doc.source)
            if part.start == item.first_chunk and item.first_chunk == 0:
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
                chunks=part.end,
                indexed_at=now,
                pending_chunks=len(item.chunks) - part.end,
            )
        with report.timed("commit"):
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
