"""Per-format text extraction; each reader returns the text that citation offsets index into."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rag.ingest.ebook import read_epub
from rag.ingest.html import read_html as _read_html_text
from rag.ingest.images import read_image
from rag.ingest.odt import read_odt
from rag.ingest.pdf import read_pdf
from rag.ingest.slides import read_pptx
from rag.ingest.tables import read_csv, read_xlsx
from rag.ingest.text import Extracted, TextBuilder, UnreadableFile
from rag.ingest.word import read_docx

__all__ = ["READERS", "Extracted", "UnreadableFile", "decode_text", "reader_for"]


_LATIN_CODE_PAGES = {
    "cp1250",
    "cp1252",
    "cp1257",
    "latin_1",
    "iso8859_2",
    "iso8859_15",
    "iso8859_9",
    "cp1254",
    "mac_latin2",
    "mac_roman",
    "cp850",
    "cp858",
    "cp437",
}


def decode_text(data: bytes) -> str:
    """UTF-8 first (with or without BOM), else the encoding charset-normalizer detects."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("binary content (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile("not decodable as text in any known encoding")
    # On short text the detector cannot tell Latin code pages apart (it reads "crème" as
    # cp1250 "crčme"); Windows-1252 is by far the likeliest for French and English files.
    if best.encoding in _LATIN_CODE_PAGES:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def _first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:120]
    return None


def read_plain(data: bytes) -> Extracted:
    text = decode_text(data)
    return Extracted(text=text, title=_first_line_title(text))


_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_MD_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)


def read_markdown(data: bytes) -> Extracted:
    text = decode_text(data)
    fences = [(m.start(), m.end()) for m in _MD_FENCE.finditer(text)]
    builder = TextBuilder()
    for heading in _MD_HEADING.finditer(text):
        if not any(s <= heading.start() < e for s, e in fences):  # a "# comment" in code
            builder.heading(len(heading.group(1)), heading.group(2), heading.start())
    first = next(
        (
            h
            for h in _MD_HEADING.finditer(text)
            if len(h.group(1)) == 1 and not any(s <= h.start() < e for s, e in fences)
        ),
        None,
    )
    return Extracted(
        text=text,
        title=first.group(2).strip() if first else _first_line_title(text),
        sections=tuple(builder.sections),
        verbatim=tuple(fences),
    )


def read_html(data: bytes) -> Extracted:
    extracted = _read_html_text(decode_text(data))
    return Extracted(
        extracted.text,
        extracted.title or _first_line_title(extracted.text),
        extracted.pages,
        extracted.sections,
        extracted.verbatim,
    )


READERS: dict[str, Callable[[bytes], Extracted]] = {
    ".txt": read_plain,
    ".text": read_plain,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".pptx": read_pptx,
    ".epub": read_epub,
    ".odt": read_odt,
    ".csv": read_csv,
    ".xlsx": read_xlsx,
    ".png": read_image,
    ".jpg": read_image,
    ".jpeg": read_image,
    ".tif": read_image,
    ".tiff": read_image,
}


def reader_for(path: Path) -> Callable[[bytes], Extracted] | None:
    return READERS.get(path.suffix.lower())
