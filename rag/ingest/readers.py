"""Per-format text extraction; each reader returns the text that citation offsets index into."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class UnreadableFile(Exception):
    """A file that cannot be turned into text; the message is the one-line reason shown to users."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None


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


def read_markdown(data: bytes) -> Extracted:
    text = decode_text(data)
    heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    return Extracted(
        text=text, title=heading.group(1).strip() if heading else _first_line_title(text)
    )


_BLANK_RUNS = re.compile(r"\n\s*\n\s*")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def tidy_whitespace(text: str) -> str:
    """Collapse layout whitespace from HTML/PDF extraction into single spaces and blank lines."""
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def read_html(data: bytes) -> Extracted:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(data), "lxml")
    # Script, style and template text is code, not content: never index it.
    for tag in soup(["script", "style", "noscript", "template", "svg"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else None
    if soup.head is not None:
        soup.head.decompose()
    body_text = tidy_whitespace(soup.get_text("\n"))
    return Extracted(text=body_text, title=title or _first_line_title(body_text))


def read_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata and reader.metadata.title else None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableFile(f"malformed PDF ({error})") from error
    text = tidy_whitespace("\n\n".join(pages))
    return Extracted(text=text, title=str(title) if title else _first_line_title(text))


def read_docx(data: bytes) -> Extracted:
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableFile(f"malformed DOCX ({error})") from error
    text = "\n\n".join(p.text.strip() for p in document.paragraphs if p.text.strip())
    title = document.core_properties.title or None
    return Extracted(text=text, title=title or _first_line_title(text))


READERS: dict[str, Callable[[bytes], Extracted]] = {
    ".txt": read_plain,
    ".text": read_plain,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def reader_for(path: Path) -> Callable[[bytes], Extracted] | None:
    return READERS.get(path.suffix.lower())
