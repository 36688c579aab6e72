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
# right: the empty strings before the closing bracket are removed. The search starts at the
# empty string, a literal the regex engine finds fast; the number before it is checked after.
_EMPTY_BEFORE_TJ = re.compile(rb"(?:\(\)|<>)(?:\s*(?:\(\)|<>))*(?=\s*\]\s*TJ)")
_NUMBER_END = frozenset(b"0123456789.")
# The loss shows only when the next text is drawn from there: no Td, TD, Tm, T* or ET before
# it (Apache FOP places every run with Tm after such an array, and reads right).
_NEXT_RUN_HERE = re.compile(rb"\s*\]\s*TJ(?:(?!T[dDm*]|ET)[^(\[<])*[(\[<]")
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


def _after_gap(stream: bytes, at: int) -> bool:
    """Whether a number (a gap) comes before ``at``, spaces aside."""
    before = stream[max(0, at - 16) : at].rstrip()
    return bool(before) and before[-1] in _NUMBER_END


def _loses_gap(stream: bytes) -> bool:
    if b"()" not in stream and b"<>" not in stream:  # most streams: a memchr-fast answer
        return False
    return any(
        _after_gap(stream, found.start()) and _NEXT_RUN_HERE.match(stream, found.end())
        for found in _EMPTY_BEFORE_TJ.finditer(stream)
    )


def _without_lost_gaps(stream: bytes) -> bytes:
    return _EMPTY_BEFORE_TJ.sub(
        lambda found: b"" if _after_gap(stream, found.start()) else found.group(), stream
    )


def loses_kerning(data: bytes) -> bool:
    """Whether some content stream of the PDF ``data`` has a gap PDFium would drop before text."""
    return any(_loses_gap(stream) for stream in _content_streams(data))


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
                content = stream.get_data()
                if (new := _without_lost_gaps(content)) != content:
                    stream.set_data(new)
                    mended += 1
        if not mended:
            return data
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except Exception:  # a PDF pypdf cannot rewrite keeps PDFium's reading, glued words and all
        return data
