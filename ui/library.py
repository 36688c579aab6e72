"""The documents behind the page: list, upload into the corpus folder, delete, re-index."""

from __future__ import annotations

import re
import shutil
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.indexer import IndexReport, Progress
from rag.ingest.health import document_health
from rag.pipeline import Assistant
from rag.store.errors import IndexProblem

_UNSAFE = re.compile(r"[^\w.\- ()]+")
_MAX_NAME = 120


def safe_name(original: str) -> str:
    """A plain file name for the corpus folder: no folders, no hidden files, no odd characters."""
    name = unicodedata.normalize("NFC", Path(original.replace("\\", "/")).name)
    name = _UNSAFE.sub("_", name).strip(" ._") or "upload"
    stem, dot, suffix = name.rpartition(".")
    if dot and len(name) > _MAX_NAME:
        name = stem[: _MAX_NAME - len(suffix) - 1] + "." + suffix
    return name[:_MAX_NAME]


@dataclass
class UploadOutcome:
    saved: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)  # file name -> reason
    report: IndexReport | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "saved": self.saved,
            "rejected": [{"file": name, "reason": why} for name, why in self.rejected.items()],
            "index": self.report.to_json() if self.report else None,
        }


class Library:
    """Corpus changes go through here, one at a time, each followed by an incremental index."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.last_report: IndexReport | None = None
        self._lock = threading.Lock()

    @property
    def corpus(self) -> Path:
        return Path(self.settings.corpus_dir)

    @property
    def allowed_types(self) -> list[str]:
        return [t.strip().lower() for t in self.settings.upload_types.split(",") if t.strip()]

    @property
    def max_bytes(self) -> int:
        return self.settings.upload_max_mb * 1024 * 1024

    def documents(self) -> list[dict[str, Any]]:
        snapshot = self.assistant.snapshot()
        rows: list[dict[str, Any]] = []
        for r in sorted(snapshot.records.values(), key=lambda r: r.source):
            document = snapshot.document_by_source(r.source)
            health = document_health(document) if document is not None else None
            rows.append(
                {
                    "source": r.source,
                    "title": r.title,
                    "language": r.language,
                    "chunks": r.chunks,
                    "pending_chunks": r.pending_chunks,
                    "indexed_at": r.indexed_at,
                    "status": "indexed",
                    "health": health.summary() if health else "",
                    "warnings": list(health.warnings) if health else [],
                }
            )
        for skipped in self.last_report.skipped if self.last_report else []:
            rows.append({"source": skipped.source, "status": "error", "error": skipped.reason})
        return rows

    def check(self, path: Path, name: str) -> str | None:
        """Why an uploaded file is refused, or None."""
        suffix = Path(name).suffix.lower()
        if suffix not in self.allowed_types:
            return (
                f"file type '{suffix or 'none'}' is not accepted; "
                f"accepted: {', '.join(self.allowed_types)}"
            )
        size = path.stat().st_size
        if size > self.max_bytes:
            return (
                f"file is {size / 1024 / 1024:.1f} MB; the limit is {self.settings.upload_max_mb} "
                "MB (setting RAG_UPLOAD_MAX_MB)"
            )
        if size == 0:
            return "file is empty"
        return None

    def upload(
        self, files: list[tuple[Path, str]], progress: Progress | None = None
    ) -> UploadOutcome:
        """Copy each acceptable ``(temporary path, original name)`` into the corpus and index."""
        outcome = UploadOutcome()
        with self._lock:
            self.corpus.mkdir(parents=True, exist_ok=True)
            for path, original in files:
                name = safe_name(original)
                reason = self.check(path, name)
                if reason:
                    outcome.rejected[original] = reason
                    continue
                shutil.copyfile(path, self.corpus / name)
                outcome.saved.append(name)
            if not outcome.saved:
                return outcome
            outcome.report = self._index(progress)
            # A saved file the indexer could not read is removed again, with its reason:
            # it would otherwise be reported as broken on every later index run.
            for skipped in outcome.report.skipped:
                if skipped.source in outcome.saved:
                    outcome.saved.remove(skipped.source)
                    outcome.rejected[skipped.source] = skipped.reason
                    (self.corpus / skipped.source).unlink(missing_ok=True)
            outcome.report.skipped = [
                s for s in outcome.report.skipped if s.source not in outcome.rejected
            ]
        return outcome

    def delete(self, source: str, progress: Progress | None = None) -> IndexReport:
        """Remove an indexed document's file from the corpus folder, then update the index."""
        with self._lock:
            if source not in self.assistant.snapshot().records:
                raise IndexProblem(f"'{source}' is not an indexed document")
            root = self.corpus.resolve()
            path = (root / source).resolve()
            if not path.is_relative_to(root) or path == root:
                raise IndexProblem(f"'{source}' is outside the corpus folder")
            path.unlink(missing_ok=True)
            return self._index(progress)

    def reindex(self, progress: Progress | None = None) -> IndexReport:
        with self._lock:
            return self._index(progress)

    def _index(self, progress: Progress | None) -> IndexReport:
        self.last_report = self.assistant.index(progress=progress)
        return self.last_report
