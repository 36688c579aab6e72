"""The source viewer: an indexed document's text, escaped, with the cited span highlighted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rag.locate import locate, ocr_at, page_at, unit_locator, where_label
from rag.store.snapshot import IndexSnapshot
from rag.types import Document
from ui.pdf_page import page_figure
from ui.render import esc

# Large documents are shown as a window around the span: the browser stays responsive and
# the highlighted text is still read in context.
WINDOW_CHARS = 8000
ASSETS = Path(__file__).parent / "assets"
EMPTY = (
    '<div class="rag-viewer-empty">Click a citation such as <b>[1]</b> to read the cited '
    "passage in its document.</div>"
)


def parse_request(data: Any) -> tuple[str, int, int]:
    """``[source, start, end]`` from the page; anything malformed becomes an empty request."""
    if isinstance(data, list | tuple) and len(data) == 1 and isinstance(data[0], list | tuple):
        data = data[0]
    try:
        source, start, end = data
        return str(source), max(0, int(start)), max(0, int(end))
    except (TypeError, ValueError):
        return "", 0, 0


def source_html(
    snapshot: IndexSnapshot, source: str, start: int, end: int, corpus: Path | None = None
) -> str:
    """The document named ``source`` read from the index snapshot only; with ``corpus``, a
    cited PDF page is also rendered from its file, if that is still the indexed version."""
    document = snapshot.document_by_source(source)
    if document is None:
        return (
            f'<div class="rag-viewer-missing">“{esc(source)}” is not an indexed document '
            "(it may have been deleted or re-indexed).</div>"
        )
    text = document.text
    start, end = min(start, len(text)), min(max(end, start), len(text))
    lo = max(0, start - WINDOW_CHARS)
    hi = min(len(text), end + WINDOW_CHARS)
    if end > start:
        body = (
            esc(text[lo:start])
            + f'<mark class="rag-hit" id="rag-hit">{esc(text[start:end])}</mark>'
            + esc(text[end:hi])
        )
        where = f"characters {start}–{end} of {len(text)}"
        page, page_end, section = locate(document, start, end)
        located = where_label(
            page,
            page_end,
            section,
            unit_locator(document, page, page_end),
            ocr_at(document, page, page_end),
        )
        where = f"{located} · {where}" if located else where
    else:
        hi = min(len(text), 2 * WINDOW_CHARS)
        body = '<span id="rag-hit"></span>' + esc(text[:hi])
        where = f"{len(text)} characters"
    figure = _pdf_page(snapshot, document, start, end, corpus) if end > start else ""
    before = '<div class="rag-elided">…</div>' if lo > 0 else ""
    after = '<div class="rag-elided">…</div>' if hi < len(text) else ""
    return (
        f'<div class="rag-viewer-head"><div class="rag-viewer-title">{esc(document.title)}</div>'
        f'<div class="rag-viewer-info">{esc(document.source)} · {esc(document.language)} · '
        f"{esc(where)}</div></div>"
        f'<div class="rag-viewer-text" data-source="{esc(document.source)}">{before}'
        f"{body}{after}</div>{figure}"
    )


def _pdf_page(
    snapshot: IndexSnapshot, document: Document, start: int, end: int, corpus: Path | None
) -> str:
    page = page_at(document, start)
    if corpus is None or page is None or not document.source.lower().endswith(".pdf"):
        return ""
    record = snapshot.records.get(document.source)
    if record is None:
        return ""
    root = corpus.resolve()
    path = (root / document.source).resolve()
    if not path.is_relative_to(root):
        return ""
    return page_figure(path, record.file_hash, page, document.text[start:end])


def viewer_js() -> str:
    return (ASSETS / "viewer.js").read_text(encoding="utf-8")


def page_css() -> str:
    return (ASSETS / "style.css").read_text(encoding="utf-8")
