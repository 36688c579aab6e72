"""Each committed document's extracted text with its sentence and chunk spans, by ``doc_id``."""

from __future__ import annotations

import json
from pathlib import Path

from rag.store.errors import IndexProblem
from rag.store.files import write_atomic
from rag.types import Chunk, Document


def encode_document(document: Document, chunks: list[Chunk]) -> str:
    """The JSON record a catalog stores for one document version."""
    payload = {
        "source": document.source,
        "title": document.title,
        "language": document.language,
        "content_hash": document.content_hash,
        "text": document.text,
        "sentences": [list(span) for span in document.sentences],
        "chunks": [[chunk.start, chunk.end] for chunk in chunks],
        "pages": list(document.pages),
        "sections": [[at, path] for at, path in document.sections],
        "verbatim": [list(span) for span in document.verbatim],
        "page_label": document.page_label,
        "page_names": list(document.page_names),
        "ocr_pages": list(document.ocr_pages),
        "unread_pages": list(document.unread_pages),
    }
    return json.dumps(payload, ensure_ascii=False)


def decode_document(data: str, where: str) -> tuple[Document, list[Chunk]]:
    """Parse a stored record; ``where`` names it in the error a damaged one raises."""
    try:
        raw = json.loads(data)
        document = Document(
            source=raw["source"],
            text=raw["text"],
            content_hash=raw["content_hash"],
            title=raw["title"],
            language=raw["language"],
            sentences=tuple((int(s), int(e)) for s, e in raw["sentences"]),
            # Records written before pages and sections were kept have neither.
            pages=tuple(int(p) for p in raw.get("pages", ())),
            sections=tuple((int(at), str(path)) for at, path in raw.get("sections", ())),
            verbatim=tuple((int(s), int(e)) for s, e in raw.get("verbatim", ())),
            page_label=str(raw.get("page_label", "page")),
            page_names=tuple(str(name) for name in raw.get("page_names", ())),
            ocr_pages=tuple(int(p) for p in raw.get("ocr_pages", ())),
            unread_pages=tuple(int(p) for p in raw.get("unread_pages", ())),
        )
        spans = [(int(s), int(e)) for s, e in raw["chunks"]]
    except (ValueError, KeyError, TypeError) as error:
        raise IndexProblem(
            f"the stored text of a document is unreadable ({where}); "
            "run `rag index --rebuild` to rebuild the index"
        ) from error
    chunks = [
        Chunk(document.source, document.doc_id, i, start, end, document.text[start:end])
        for i, (start, end) in enumerate(spans)
    ]
    return document, chunks


class DocumentStore:
    """Content-addressed JSON files; written before the manifest names them, so never half-seen."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, doc_id: str) -> Path:
        return self.folder / f"{doc_id}.json"

    def save(self, document: Document, chunks: list[Chunk]) -> None:
        write_atomic(self._path(document.doc_id), encode_document(document, chunks).encode())

    def exists(self, doc_id: str) -> bool:
        return self._path(doc_id).exists()

    def load(self, doc_id: str) -> tuple[Document, list[Chunk]]:
        path = self._path(doc_id)
        try:
            data = path.read_text(encoding="utf-8")
        except (OSError, ValueError) as error:
            raise IndexProblem(
                f"the stored text of a document is unreadable ({path}); "
                "run `rag index --rebuild` to rebuild the index"
            ) from error
        return decode_document(data, str(path))

    def delete(self, doc_id: str) -> None:
        self._path(doc_id).unlink(missing_ok=True)

    def stored_ids(self) -> set[str]:
        if not self.folder.exists():
            return set()
        return {path.stem for path in self.folder.glob("*.json")}
