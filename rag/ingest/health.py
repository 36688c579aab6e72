"""Measures of how well a document's text was extracted: garbled words, stray fragments."""

from __future__ import annotations

import itertools
import re
from dataclasses import asdict, dataclass
from typing import Any

from rag.ingest.ocr import no_text_layer_reason, tesseract
from rag.types import Document, Span

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
# French and English words stop well short of 25 letters ("anticonstitutionnellement" is
# 25); longer runs of letters are words glued together by an extractor that lost the spaces.
GARBLED_WORD_LETTERS = 25


def garbled_share(text: str) -> float:
    """The share of words longer than ``GARBLED_WORD_LETTERS`` letters (0 when no words)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    return sum(len(w) > GARBLED_WORD_LETTERS for w in words) / len(words)


def one_word_sentence_share(text: str, sentences: tuple[Span, ...] | list[Span]) -> float:
    """The share of sentences with at most one word: fragments cut off by line breaks."""
    if not sentences:
        return 0.0
    return sum(len(_WORD.findall(text[s:e])) <= 1 for s, e in sentences) / len(sentences)


# A document looks broken past these: words glued together, or pages that gave no text (scans).
GARBLED_WARNING = 0.02
EMPTY_PAGES_WARNING = 0.5
ONE_WORD_WARNING = 0.3


@dataclass(frozen=True)
class DocumentHealth:
    """How well one stored document was read, computed from the ``Document`` alone."""

    source: str
    pages: int  # 0 for formats without pages
    characters: int
    empty_pages: int
    garbled_share: float
    one_word_share: float
    sentences: int
    language: str
    sections: int
    ocr_pages: int = 0  # pages read by OCR (scans, images)
    # Pages without a text layer that OCR did not read (no Tesseract when they were indexed).
    unread_pages: int = 0
    page_label: str = "page"  # what a page is here: "page", "slide", "chapter", "row"

    @property
    def warnings(self) -> tuple[str, ...]:
        found = []
        if self.garbled_share > GARBLED_WARNING:
            found.append(
                f"{self.garbled_share:.1%} of words look glued together (spaces lost in extraction)"
            )
        if self.unread_pages:
            if tesseract() is None:
                found.append(no_text_layer_reason(self.unread_pages))
            else:  # Tesseract came after this document was read
                found.append(
                    f"{self.unread_pages} pages have no text layer; "
                    "run `rag index --rebuild` to read them with OCR"
                )
        elif self.pages and self.empty_pages / self.pages > EMPTY_PAGES_WARNING:
            found.append(f"{self.empty_pages} of {self.pages} pages have no text")
        if self.sentences >= 20 and self.one_word_share > ONE_WORD_WARNING:
            found.append(f"{self.one_word_share:.0%} of sentences are single words (fragments)")
        return tuple(found)

    def summary(self) -> str:
        """One line for a person: "75 pages · 171,012 characters · fr · 41 sections · ok"."""
        parts = [f"{self.pages:,} {self.page_label}s"] if self.pages else []
        parts.append(f"{self.characters:,} characters")
        if self.ocr_pages:
            parts.append(f"{self.ocr_pages} pages OCR'd")
        if self.empty_pages:
            parts.append(f"{self.empty_pages} {self.page_label}s without text")
        parts += [
            f"{self.sentences:,} sentences",
            f"garbled {self.garbled_share:.1%}",
            f"one-word sentences {self.one_word_share:.1%}",
            self.language,
            f"{self.sections} sections",
        ]
        return " · ".join(parts)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["garbled_share"] = round(self.garbled_share, 4)
        data["one_word_share"] = round(self.one_word_share, 4)
        data["warnings"] = list(self.warnings)
        return data


def empty_pages(document: Document) -> int:
    """Pages whose text holds no word."""
    bounds = [*document.pages, len(document.text)]
    return sum(
        not _WORD.search(document.text, start, end) for start, end in itertools.pairwise(bounds)
    )


def document_health(document: Document) -> DocumentHealth:
    return DocumentHealth(
        source=document.source,
        pages=len(document.pages),
        characters=len(document.text),
        empty_pages=empty_pages(document),
        garbled_share=garbled_share(document.text),
        one_word_share=one_word_sentence_share(document.text, document.sentences),
        sentences=len(document.sentences),
        language=document.language,
        sections=len(document.sections),
        ocr_pages=len(document.ocr_pages),
        unread_pages=len(document.unread_pages),
        page_label=document.page_label,
    )
