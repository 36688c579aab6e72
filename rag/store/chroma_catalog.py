"""The server catalog: manifest versions and document texts in Chroma, shared by every process."""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from rag.store.chroma import chroma_errors
from rag.store.documents import decode_document, encode_document
from rag.store.errors import IndexProblem
from rag.store.manifest import Manifest
from rag.types import Chunk, Document

_HEAD = "head"
_LOCK = "lock"
_PAGE = 1000
# Chroma wants a vector with every record; these records are looked up by id only.
_NO_VECTOR = [0.0]
# A writer that stops renewing its lock (killed on another host) loses it after this long.
LOCK_LEASE_S = 600.0


def _version_id(version: int) -> str:
    return f"v{version}"


class ChromaCatalog:
    """Manifest as numbered versions plus a ``head`` pointer; readers load the version they saw.

    A commit writes version n+1, then moves ``head``: a reader that loaded version n keeps
    answering from its in-memory copy, and version n stays stored for one more commit so a
    reader that read ``head`` just before the move can still load it.
    """

    def __init__(self, client: Any, prefix: str, url: str) -> None:
        self.location = f"{url} (collections '{prefix}-*')"
        with chroma_errors(self.location):
            self._manifests = client.get_or_create_collection(
                f"{prefix}-manifest", embedding_function=None
            )
            self._documents = client.get_or_create_collection(
                f"{prefix}-documents", embedding_function=None
            )
        # host:pid names the writer to users; the token tells two writers in one process apart
        self._owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    # -- manifest ------------------------------------------------------------------------

    def _read(self, collection: Any, record_id: str) -> str | None:
        with chroma_errors(self.location):
            found = collection.get(ids=[record_id], include=["documents"])
        documents = found["documents"] or []
        return str(documents[0]) if documents else None

    def _write(self, collection: Any, record_id: str, data: str) -> None:
        with chroma_errors(self.location):
            collection.upsert(ids=[record_id], documents=[data], embeddings=[_NO_VECTOR])

    def _head(self) -> int | None:
        raw = self._read(self._manifests, _HEAD)
        return int(json.loads(raw)["version"]) if raw else None

    def exists(self) -> bool:
        return self._head() is not None

    def version(self) -> str | None:
        head = self._head()
        return None if head is None else str(head)

    def load_manifest(self, chunk_chars: int) -> Manifest:
        head = self._head()
        if head is None:
            return Manifest(documents={}, chunk_chars=chunk_chars)
        data = self._read(self._manifests, _version_id(head))
        if data is None:
            raise IndexProblem(f"manifest version {head} vanished from {self.location}")
        return Manifest.decode(data, f"{self.location} version {head}")

    def save_manifest(self, manifest: Manifest) -> None:
        head = self._head() or 0
        self._write(self._manifests, _version_id(head + 1), manifest.encode())
        self._write(self._manifests, _HEAD, json.dumps({"version": head + 1}))
        self._renew_lock()
        with chroma_errors(self.location):
            old = [_version_id(v) for v in range(max(1, head - 5), head)]
            if old:
                self._manifests.delete(ids=old)

    # -- documents -----------------------------------------------------------------------

    def save_document(self, document: Document, chunks: list[Chunk]) -> None:
        self._write(self._documents, document.doc_id, encode_document(document, chunks))

    def load_document(self, doc_id: str) -> tuple[Document, list[Chunk]]:
        data = self._read(self._documents, doc_id)
        if data is None:
            raise IndexProblem(f"document {doc_id} is missing from {self.location}")
        return decode_document(data, f"{self.location} document {doc_id}")

    def has_document(self, doc_id: str) -> bool:
        with chroma_errors(self.location):
            return bool(self._documents.get(ids=[doc_id], include=[])["ids"])

    def delete_documents(self, doc_ids: Sequence[str]) -> None:
        with chroma_errors(self.location):
            for i in range(0, len(doc_ids), _PAGE):
                self._documents.delete(ids=list(doc_ids[i : i + _PAGE]))

    def document_ids(self) -> set[str]:
        found: set[str] = set()
        offset = 0
        with chroma_errors(self.location):
            while True:
                ids = self._documents.get(include=[], limit=_PAGE, offset=offset)["ids"]
                found.update(ids)
                if len(ids) < _PAGE:
                    return found
                offset += _PAGE

    def clear(self) -> None:
        with chroma_errors(self.location):
            for collection in (self._documents, self._manifests):
                while ids := [
                    i for i in collection.get(include=[], limit=_PAGE)["ids"] if i != _LOCK
                ]:
                    collection.delete(ids=ids)

    # -- writer lock ---------------------------------------------------------------------

    def _holder(self) -> dict[str, Any] | None:
        raw = self._read(self._manifests, _LOCK)
        return json.loads(raw) if raw else None

    def _renew_lock(self) -> None:
        lease = {"owner": self._owner, "expires": time.time() + LOCK_LEASE_S}
        self._write(self._manifests, _LOCK, json.dumps(lease))

    def _is_live(self, holder: dict[str, Any]) -> bool:
        if holder["owner"] == self._owner or holder["expires"] < time.time():
            return False
        host, pid, _ = str(holder["owner"]).rsplit(":", 2)
        if host == socket.gethostname():  # on this host a dead writer's lease is void at once
            try:
                os.kill(int(pid), 0)
            except (ProcessLookupError, ValueError):
                return False
            except PermissionError:
                return True
        return True

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """A lease record: one writer per index, even across hosts (best effort, no CAS)."""
        holder = self._holder()
        if holder and self._is_live(holder):
            raise IndexProblem(
                f"another `rag index` ({holder['owner']}) is already updating {self.location}"
            )
        self._renew_lock()
        time.sleep(0.05)  # two writers that raced: the later write wins, the other backs off
        holder = self._holder()
        if not holder or holder["owner"] != self._owner:
            raise IndexProblem(f"another `rag index` is already updating {self.location}")
        try:
            yield
        finally:
            with suppress(IndexProblem):  # the server went down: the lease will expire
                holder = self._holder()
                if holder and holder["owner"] == self._owner:
                    with chroma_errors(self.location):
                        self._manifests.delete(ids=[_LOCK])
