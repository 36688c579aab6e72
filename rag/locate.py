"""Where a span of a document is for a reader: its page (or pages) and its section."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from rag.types import Citation, Document


def page_at(document: Document, offset: int) -> int | None:
    """The 1-based page holding ``offset``, or None for a document without pages."""
    if not document.pages:
        return None
    return max(1, bisect_right(document.pages, offset))


def locate(document: Document, start: int, end: int) -> tuple[int | None, int | None, str | None]:
    """(page, page_end, section) of ``text[start:end]``: ``page_end`` only when the span
    crosses a page break, ``section`` the heading path of the section it starts in."""
    page = page_at(document, start)
    last = page_at(document, max(start, end - 1))
    section = None
    if document.sections:
        index = bisect_right([at for at, _ in document.sections], start) - 1
        if index >= 0:
            section = document.sections[index][1]
    return page, last if last != page else None, section


def unit_locator(document: Document, page: int | None, page_end: int | None) -> str | None:
    """ "slide 4", "slides 4–5", "Sheet1, row 12", "chapter 3": the unit of a document whose
    units are not pages, from the reader's names where it gave them; None for pages."""
    if page is None or document.page_label == "page":
        return None
    names = document.page_names
    if len(names) == len(document.pages):
        first = names[page - 1]
        return f"{first} – {names[page_end - 1]}" if page_end else first
    if page_end:
        return f"{document.page_label}s {page}–{page_end}"
    return f"{document.page_label} {page}"


def ocr_at(document: Document, page: int | None, page_end: int | None) -> bool | None:
    """True when any page of the span was read by OCR; None otherwise (omitted in JSON)."""
    if page is None or not document.ocr_pages:
        return None
    pages = range(page, (page_end or page) + 1)
    return True if any(p in document.ocr_pages for p in pages) else None


def where_in(document: Document, start: int, end: int) -> dict[str, Any]:
    """The reader's locators of ``[start, end)``: page, page_end, section, locator, OCR mark
    (the fields Citation and find's Match share)."""
    page, page_end, section = locate(document, start, end)
    return {
        "page": page,
        "page_end": page_end,
        "section": section,
        "locator": unit_locator(document, page, page_end),
        "ocr": ocr_at(document, page, page_end),
    }


def locate_citation(citation: Citation, document: Document | None) -> Citation:
    """The citation with its page, page_end, section, locator and OCR mark from ``document``."""
    if document is None:
        return citation
    return replace(citation, **where_in(document, citation.start, citation.end))


def locate_citations(
    citations: Iterable[Citation], document_for: Callable[[str], Document | None]
) -> list[Citation]:
    """Each citation located in the document ``document_for(source)`` returns."""
    return [locate_citation(c, document_for(c.source)) for c in citations]


def page_label(page: int | None, page_end: int | None = None) -> str:
    """ "p. 89", "pp. 89–90", or "" when the page is unknown."""
    if page is None:
        return ""
    return f"pp. {page}–{page_end}" if page_end else f"p. {page}"


def where_label(
    page: int | None,
    page_end: int | None,
    section: str | None,
    locator: str | None = None,
    ocr: bool | None = None,
) -> str:
    """ "p. 89 · 6.2 › apt-get": what the user reads next to a quote ("" when nothing is known);
    a unit's ``locator`` ("slide 4") stands for the page, and "(OCR)" marks scanned text."""
    where = locator or page_label(page, page_end)
    if where and ocr:
        where += " (OCR)"
    # A sheet's or chapter's section repeats what its locator already says.
    if section and locator and locator.startswith(section):
        section = None
    return " · ".join(part for part in (where, section or "") if part)
