"""Gives PDFium back the word gaps it loses in groff PDFs (glued words), before it reads them."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from typing import Any

# A TJ array ending in a gap and then an empty string, as groff writes each word:
# "[(the) -342.7 ()] TJ". PDFium (pypdfium2 5.15) drops that last gap, so the next text object
# starts where "the" ends, and the text reads "thelastpipe" where poppler reads "the lastpipe";
# the line's later words shift left too, which opens false gaps ("b uiltin") at the next Td.
# An empty string draws nothing, so "[(the) -342.7] TJ" is the same page, and PDFium reads it
# right: the empty strings before the closing bracket are removed.
_EMPTY_AFTER_GAP = re.compile(rb"(?<=[\d.])(?:\s*(?:\(\)|<>))+(?=\s*\]\s*TJ)")
# The loss shows only when the next text is drawn from there: no Td, TD, Tm, T* or ET before
# it (Apache FOP places every run with Tm after such an array, and reads right).
_LOST_GAP = re.compile(rb"[\d.]\s*(?:(?:\(\)|<>)\s*)+\]\s*TJ(?:(?!T[dDm*]|ET)[^(\[<])*[(\[<]")
# A stream's start; its dictionary runs from its "N 0 obj". Only the shape is checked: the scan
# decides whether to mend, and the mending parses the file properly (pypdf).
_STREAM = re.compile(rb">>\s*stream\r?\n")
_DICTIONARY_CHARS = 2000
# Page content streams carry only /Length and /Filter; fonts, images and forms name a /Subtype
# or /Length1, cross-reference and object streams a /Type.
_NOT_CONTENT = (b"/Subtype", b"/Length1", b"/Type", b"/DecodeParms")
_FLATE = re.compile(rb"/Filter\s*(?:/FlateDecode|\[\s*/FlateDecode\s*\])")
_MAX_STREAM = 64 * 1024 * 1024


def _content_streams(data: bytes) -> Iterator[bytes]:
    """The decoded content streams of ``data``, found by scanning the raw file (fast: zlib only)."""
    for found in _STREAM.finditer(data):
        opened = data.rfind(b"obj", max(0, found.start() - _DICTIONARY_CHARS), found.start())
        dictionary = data[opened + 3 : found.start()] if opened >= 0 else b"/Type"
        if any(key in dictionary for key in _NOT_CONTENT):
            continue
        start = found.end()
        end = data.find(b"endstream", start)
        body = data[start : end if end >= 0 else len(data)]
        if b"/Filter" not in dictionary:
            yield body
        elif _FLATE.search(dictionary):
            try:
                yield zlib.decompressobj().decompress(body, _MAX_STREAM)
            except zlib.error:  # encrypted, or not Flate after all: nothing to mend here
                continue


def loses_kerning(data: bytes) -> bool:
    """Whether some content stream of the PDF ``data`` has a gap PDFium would drop before text."""
    return any(_LOST_GAP.search(stream) for stream in _content_streams(data))


def _page_streams(page: Any) -> list[Any]:
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    items = contents if isinstance(contents, ArrayObject) else [contents]
    return [item.get_object() for item in items]


def restore_kerning(data: bytes) -> bytes:
    """``data`` with the gaps PDFium drops written so it keeps them; ``data`` itself when there
    are none (most PDFs: one raw scan) or the file cannot be rewritten."""
    if not loses_kerning(data):
        return data
    try:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        mended = 0
        for page in writer.pages:
            for stream in _page_streams(page):
                content, count = _EMPTY_AFTER_GAP.subn(b"", stream.get_data())
                if count:
                    stream.set_data(content)
                    mended += count
        if not mended:
            return data
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except Exception:  # a PDF pypdf cannot rewrite keeps PDFium's reading, glued words and all
        return data
