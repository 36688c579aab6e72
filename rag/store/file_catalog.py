"""The embedded catalog: ``manifest.json`` and one JSON file per document in the index folder."""

from __future__ import annotations

import errno
import shutil
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager

from rag.store.documents import DocumentStore
from rag.store.errors import IndexProblem
from rag.store.layout import IndexLayout, writer_lock
from rag.store.manifest import Manifest
from rag.types import Chunk, Document


@contextmanager
def _writing(location: str) -> Iterator[None]:
    """Turn a failed write (disk full, read-only folder) into one clear line."""
    try:
        yield
    except OSError as error:
        reason = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only"}
        raise IndexProblem(
            f"cannot write to the index at {location}: "
            f"{reason.get(error.errno or 0, error.strerror or str(error))}; "
            "the index keeps what was committed before"
        ) from error


class FileCatalog:
    """Manifest and document texts as files; the manifest's atomic replace is the commit."""

    def __init__(self, layout: IndexLayout) -> None:
        self.layout = layout
        self.location = str(layout.root)
        self._documents = DocumentStore(layout.documents)

    def exists(self) -> bool:
        return self.layout.exists()

    def version(self) -> str | None:
        try:
            return str(self.layout.manifest.stat().st_mtime_ns)
        except OSError:
            return None

    def load_manifest(self, chunk_chars: int) -> Manifest:
        return Manifest.load(self.layout.manifest, chunk_chars)

    def save_manifest(self, manifest: Manifest) -> None:
        with _writing(self.location):
            manifest.save(self.layout.manifest)

    def save_document(self, document: Document, chunks: list[Chunk]) -> None:
        with _writing(self.location):
            self._documents.save(document, chunks)

    def load_document(self, doc_id: str) -> tuple[Document, list[Chunk]]:
        return self._documents.load(doc_id)

    def has_document(self, doc_id: str) -> bool:
        return self._documents.exists(doc_id)

    def delete_documents(self, doc_ids: Sequence[str]) -> None:
        with _writing(self.location):
            for doc_id in doc_ids:
                self._documents.delete(doc_id)

    def document_ids(self) -> set[str]:
        return self._documents.stored_ids()

    def clear(self) -> None:
        with _writing(self.location):
            self.layout.manifest.unlink(missing_ok=True)
            if self.layout.documents.is_dir():
                shutil.rmtree(self.layout.documents)

    def writer_lock(self) -> AbstractContextManager[None]:
        return writer_lock(self.layout)
