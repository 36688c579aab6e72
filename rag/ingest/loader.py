"""Walking a corpus folder and loading each supported file as a ``Document``."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rag.ingest.language import detect_document_language
from rag.ingest.readers import UnreadableFile, reader_for
from rag.types import Document

MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class SkippedFile:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class LoadReport:
    documents: list[Document] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def relative_source(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def iter_corpus_files(root: Path, skipped: list[SkippedFile] | None = None) -> Iterator[Path]:
    """Supported files under ``root``, sorted, following symlinks once (loops are cut)."""
    seen_dirs: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=None):
        try:
            stat = os.stat(dirpath)
        except OSError:
            continue
        key = (stat.st_dev, stat.st_ino)
        if key in seen_dirs:  # a symlink loop or a second path to the same folder
            dirnames[:] = []
            continue
        seen_dirs.add(key)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith("."):
                continue
            if reader_for(path) is None:
                if skipped is not None:
                    skipped.append(
                        SkippedFile(
                            relative_source(path, root), f"unsupported file type '{path.suffix}'"
                        )
                    )
                continue
            yield path


def load_document(path: Path, root: Path, data: bytes | None = None) -> Document:
    """Read one file; raises ``UnreadableFile`` with a one-line reason."""
    reader = reader_for(path)
    if reader is None:
        raise UnreadableFile(f"unsupported file type '{path.suffix}'")
    if data is None:
        data = read_bytes(path)
    extracted = reader(data)
    if not extracted.text.strip():
        raise UnreadableFile("no text in file (empty, or only markup/images)")
    return Document(
        source=relative_source(path, root),
        text=extracted.text,
        content_hash=text_hash(extracted.text),
        title=extracted.title or path.stem,
        language=detect_document_language(extracted.text),
        pages=extracted.pages,
        sections=extracted.sections,
        verbatim=extracted.verbatim,
        page_label=extracted.page_label,
        page_names=extracted.page_names,
        ocr_pages=extracted.ocr_pages,
        unread_pages=extracted.unread_pages,
    )


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(f"file too large ({size // (1024 * 1024)} MiB > 50 MiB)")
        return path.read_bytes()
    except PermissionError as error:
        raise UnreadableFile("permission denied") from error
    except OSError as error:
        raise UnreadableFile(f"cannot read file ({error.strerror or error})") from error


def load_documents(root: Path) -> LoadReport:
    """Every readable document under ``root``; each unreadable one becomes a ``SkippedFile``."""
    report = LoadReport()
    for path in iter_corpus_files(root, report.skipped):
        try:
            report.documents.append(load_document(path, root))
        except UnreadableFile as error:
            report.skipped.append(SkippedFile(relative_source(path, root), str(error)))
    return report
