"""What a reader returns, and the builder readers assemble it with (paragraphs, pages, headings)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.types import Span


class UnreadableFile(Exception):
    """A file that cannot be turned into text; the message is the one-line reason shown to users."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None
    # Offsets into ``text``: where each page starts (paged formats), where each section starts
    # with its heading path, and preformatted blocks (code) that are never cut into sentences.
    pages: tuple[int, ...] = ()
    sections: tuple[tuple[int, str], ...] = ()
    verbatim: tuple[Span, ...] = ()
    # See ``Document``: what a unit of ``pages`` is, its names, and the pages read by OCR.
    page_label: str = "page"
    page_names: tuple[str, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    unread_pages: tuple[int, ...] = ()


SECTION_SEPARATOR = " › "
_SPACES = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Layout whitespace (source line breaks, tabs, NBSP runs) as the single spaces it renders as."""
    return _SPACES.sub(" ", text).strip()


class TextBuilder:
    """Paragraphs joined by blank lines, recording page starts, sections and verbatim blocks."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.pages: list[int] = []
        self.sections: list[tuple[int, str]] = []
        self.verbatim: list[Span] = []
        self._headings: list[tuple[int, str]] = []  # (level, title) of the open sections

    def _offset_of_next(self) -> int:
        return self._length + (2 if self._parts else 0)

    def paragraph(self, text: str, verbatim: bool = False) -> None:
        text = text.strip("\n") if verbatim else text.strip()
        if not text.strip():
            return
        start = self._offset_of_next()
        if self._parts:
            self._parts.append("\n\n")
        self._parts.append(text)
        self._length = start + len(text)
        if verbatim:
            self.verbatim.append((start, self._length))

    def extend(self, extracted: Extracted) -> None:
        """Another reader's text as the next block, its sections and verbatim spans shifted
        (an e-book's chapters through the HTML reader)."""
        if not extracted.text.strip():
            return
        start = self._offset_of_next()
        if self._parts:
            self._parts.append("\n\n")
        self._parts.append(extracted.text)
        self._length = start + len(extracted.text)
        self.sections += [(start + at, path) for at, path in extracted.sections]
        self.verbatim += [(start + s, start + e) for s, e in extracted.verbatim]

    def heading(self, level: int, title: str, offset: int | None = None) -> None:
        """Open a section at ``offset`` (default: the next paragraph); the heading is not added."""
        title = collapse(title)
        if not title:
            return
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        self._headings.append((level, title))
        path = SECTION_SEPARATOR.join(t for _, t in self._headings)
        at = self._offset_of_next() if offset is None else offset
        if self.sections and self.sections[-1][0] == at:
            self.sections[-1] = (at, path)  # nothing between the two headings: the deeper wins
        else:
            self.sections.append((at, path))

    def page(self) -> None:
        """The next paragraph starts a new page."""
        self.pages.append(self._offset_of_next() if self._parts else 0)

    @property
    def length(self) -> int:
        return self._length

    def build(self, title: str | None) -> Extracted:
        text = "".join(self._parts)
        # A trailing empty page points past the end; it still starts somewhere in the text.
        pages = tuple(min(p, len(text)) for p in self.pages)
        sections = tuple((min(at, len(text)), path) for at, path in self.sections)
        return Extracted(text, title, pages, sections, tuple(self.verbatim))
