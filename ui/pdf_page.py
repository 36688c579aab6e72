"""The cited PDF page rendered by PDFium, the quote's characters highlighted on it.

Offsets index our extracted text, which drops running heads and joins lines, so they are not
PDFium's character indices: the quote is found again in the page's own text, compared on its
letters and digits only, and those characters' boxes are painted."""

from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path
from typing import Any

# About 110 dpi: the page reads on a laptop screen and the PNG stays near 100–200 kB.
SCALE = 1.5
_HIGHLIGHT = (255, 210, 0, 110)
# A quote that crosses onto the next page is matched by its start.
_PREFIX_CHARS = 60


def _folded(text: str) -> tuple[str, list[int]]:
    """``text``'s letters and digits, lower-cased, with the index each came from."""
    kept = [(c.lower(), i) for i, c in enumerate(text) if c.isalnum()]
    return "".join(c for c, _ in kept), [i for _, i in kept]


def quote_char_indices(page_text: str, quote: str) -> list[int]:
    """PDFium character indices of ``quote`` on a page whose text is ``page_text`` ([] when
    it is not there, e.g. on a page read by OCR, which has no text layer)."""
    folded, where = _folded(page_text)
    wanted, _ = _folded(quote)
    for needle in (wanted, wanted[:_PREFIX_CHARS]):
        at = folded.find(needle) if needle else -1
        if at >= 0:  # every character from its first to its last, line breaks aside
            span = range(where[at], where[at + len(needle) - 1] + 1)
            return [i for i in span if page_text[i] not in "\r\n"]
    return []


def _render(page: Any, quote: str) -> bytes:
    from PIL import Image, ImageDraw

    image = page.render(scale=SCALE).to_pil().convert("RGBA")
    textpage = page.get_textpage()
    indices = quote_char_indices(textpage.get_text_range(), quote)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    height = page.get_height()
    for index in indices:
        left, bottom, right, top = textpage.get_charbox(index)
        draw.rectangle(
            (left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE),
            fill=_HIGHLIGHT,
        )
    textpage.close()
    out = io.BytesIO()
    Image.alpha_composite(image, overlay).convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def page_png(path: Path, file_hash: str, page: int, quote: str) -> bytes | None:
    """The 1-based ``page`` of the PDF at ``path`` as a PNG with ``quote`` highlighted; None
    when the file is gone, changed since it was indexed (``file_hash``), or unreadable."""
    import pypdfium2 as pdfium

    try:
        data = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != file_hash:
        return None  # the page would not be the one the citation was read from
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        if not 1 <= page <= len(pdf):
            return None
        return _render(pdf[page - 1], quote)
    except pdfium.PdfiumError:
        return None
    finally:
        pdf.close()


def page_figure(path: Path, file_hash: str, page: int, quote: str) -> str:
    """An HTML figure of the rendered page, or "" when it cannot be shown."""
    png = page_png(path, file_hash, page, quote)
    if png is None:
        return ""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure class="rag-viewer-page"><img alt="page {page} of the PDF" '
        f'src="data:image/png;base64,{data}"><figcaption>p. {page}</figcaption></figure>'
    )
