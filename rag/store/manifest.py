"""The manifest: which document versions are committed to the index, and their file state."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from rag.store.errors import IndexProblem
from rag.store.files import write_atomic

# 2: sentence vectors stored next to the chunk vectors (a version-1 index is re-embedded).
# 3: documents read by the paragraph-aware HTML/PDF readers, with pages and sections; an
#    older index is read and embedded again (its files are unchanged, their text is not).
# 4: DOCX tables, slides, e-books, spreadsheets and OCR'd scans; documents carry their
#    locator units (slide, row, chapter) and OCR'd pages.
# 5: HTML navigation dropped whatever its markup (Texinfo's Next/Up bars, menus, index
#    pages) and PDF code listings kept as one block; every document is read and embedded
#    again.
MANIFEST_VERSION = 5


@dataclass(frozen=True)
class DocumentRecord:
    source: str
    doc_id: str
    content_hash: str
    file_hash: str
    size: int
    mtime_ns: int
    title: str
    language: str
    chunks: int  # committed so far: these answer queries
    indexed_at: float
    # Chunks of this version not committed yet: a long document answers from its first
    # chunks while the rest is embedded, and the next run resumes where this one stopped.
    pending_chunks: int = 0

    @property
    def complete(self) -> bool:
        return self.pending_chunks == 0


@dataclass
class Manifest:
    """A document answers queries only once its record is here: this file is the commit point."""

    documents: dict[str, DocumentRecord]
    chunk_chars: int
    version: int = MANIFEST_VERSION

    @classmethod
    def load(cls, path: Path, chunk_chars: int) -> Manifest:
        if not path.exists():
            return cls(documents={}, chunk_chars=chunk_chars)
        try:
            data = path.read_text(encoding="utf-8")
        except (OSError, ValueError) as error:
            raise IndexProblem(
                f"the index manifest {path} is unreadable ({type(error).__name__}); "
                "run `rag index --rebuild` to rebuild the index"
            ) from error
        return cls.decode(data, str(path))

    @classmethod
    def decode(cls, data: str, where: str) -> Manifest:
        """Parse a stored manifest; ``where`` names it in the error a damaged one raises."""
        try:
            raw = json.loads(data)
            documents = {record["source"]: DocumentRecord(**record) for record in raw["documents"]}
            return cls(
                documents=documents,
                chunk_chars=int(raw["chunk_chars"]),
                version=int(raw.get("version", 1)),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise IndexProblem(
                f"the index manifest {where} is unreadable ({type(error).__name__}); "
                "run `rag index --rebuild` to rebuild the index"
            ) from error

    def encode(self) -> str:
        payload = {
            "version": self.version,
            "chunk_chars": self.chunk_chars,
            "documents": [
                asdict(r) for r in sorted(self.documents.values(), key=lambda r: r.source)
            ],
        }
        return json.dumps(payload, ensure_ascii=False, indent=1)

    def save(self, path: Path) -> None:
        write_atomic(path, self.encode().encode("utf-8"))

    def doc_ids(self) -> set[str]:
        return {record.doc_id for record in self.documents.values()}
