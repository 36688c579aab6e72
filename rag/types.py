"""Plain typed data passed between the pipeline's stages."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]
"""A half-open ``[start, end)`` character range into a document's text."""


def document_id(source: str, content_hash: str) -> str:
    return hashlib.sha256(f"{source}\0{content_hash}".encode()).hexdigest()[:24]


def unit_id(doc_id: str, index: int) -> str:
    """The vector store id of a document's ``index``-th chunk, or of its ``index``-th sentence."""
    return f"{doc_id}:{index}"


def parse_unit_id(unit: str) -> tuple[str, int]:
    """The document id and index a ``unit_id`` was made of."""
    doc_id, index = unit.rsplit(":", 1)
    return doc_id, int(index)


@dataclass(frozen=True)
class Document:
    """One source file's extracted text; every offset in the system indexes into ``text``."""

    source: str  # path relative to the corpus folder, with forward slashes
    text: str
    content_hash: str  # hash of ``text``; identifies this version of the document
    title: str
    language: str  # ISO 639-1 code, or "unknown"
    sentences: tuple[Span, ...] = ()  # sentence spans, filled by the chunker
    # Where page n (1-based) starts: ``pages[n - 1]``; empty for formats without pages.
    pages: tuple[int, ...] = ()
    # (offset where a section starts, its heading path "6.2 › apt-get"), in text order.
    sections: tuple[tuple[int, str], ...] = ()
    # Preformatted blocks (code, listings) the chunker keeps whole instead of cutting sentences.
    verbatim: tuple[Span, ...] = ()
    # What one unit of ``pages`` is for a reader: "page" (PDF, scan), "slide", "chapter", "row".
    page_label: str = "page"
    # The reader's name of each unit when its number alone does not place it ("Sheet1, row 12"):
    # empty, or one name per entry of ``pages``.
    page_names: tuple[str, ...] = ()
    # 1-based pages whose text was read by OCR (scanned PDF pages, images).
    ocr_pages: tuple[int, ...] = ()
    # 1-based pages without a text layer left unread (no Tesseract when the file was read).
    unread_pages: tuple[int, ...] = ()

    @property
    def doc_id(self) -> str:
        """Identifies this version of this file: two files with equal text stay distinct."""
        return document_id(self.source, self.content_hash)


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one document, the unit that is embedded and retrieved."""

    source: str
    doc_id: str  # the owning document's ``doc_id``
    index: int  # position among the document's chunks
    start: int
    end: int
    text: str  # always ``document.text[start:end]``

    @property
    def chunk_id(self) -> str:
        return unit_id(self.doc_id, self.index)


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its relevance score, best first in a result list."""

    chunk: Chunk
    score: float

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.chunk.source,
            "start": self.chunk.start,
            "end": self.chunk.end,
            "text": self.chunk.text,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Citation:
    """A verbatim quote backing part of an answer: ``document.text[start:end] == quote``."""

    n: int
    source: str
    start: int
    end: int
    quote: str
    # Where the quote is for a reader: the 1-based page (``page_end`` when it crosses a page
    # break) of a paged document, and the heading path of its section; None when unknown.
    page: int | None = None
    page_end: int | None = None
    section: str | None = None
    # The locator of a unit that is not a PDF page ("slide 4", "Sheet1, row 12", "chapter 3");
    # None for pages, which ``page`` says. ``ocr`` is True when the quote's text was OCR'd.
    locator: str | None = None
    ocr: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


VERDICTS = ("supported", "partly", "unsupported")


class Status(str):
    """A line on what the assistant is doing, streamed among the LLM draft's pieces (the
    ``on_token`` callback) after the draft is written; no part of the answer's text."""


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of a generated answer and whether verification found it supported.

    ``verdict`` is "supported", "partly" (the quote states part of it, or the verifier cannot
    tell) or "unsupported"; ``supported`` stays the plain yes of before: verdict "supported".
    Left empty, the verdict follows ``supported``.
    """

    text: str
    citations: tuple[int, ...]
    supported: bool
    verdict: str = ""

    def __post_init__(self) -> None:
        if not self.verdict:
            object.__setattr__(self, "verdict", "supported" if self.supported else "unsupported")
        if self.verdict not in VERDICTS or self.supported != (self.verdict == "supported"):
            raise ValueError(f"verdict {self.verdict!r} with supported={self.supported}")

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "citations": list(self.citations),
            "supported": self.supported,
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Closest:
    """A sentence the assistant checked before declining, with its similarity to the question."""

    source: str
    start: int
    end: int
    text: str
    score: float

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "score": round(self.score, 4)}


@dataclass(frozen=True)
class Decline:
    """Why a question was declined: what was looked for, and the closest text found."""

    expected: str  # the kind of answer looked for: an ``AnswerType`` value ("date", "other"…)
    type_found: bool  # whether the closest sentences hold something of that kind
    missing: tuple[str, ...]  # names and numbers of the question no document mentions
    confidence: float
    threshold: float
    closest: tuple[Closest, ...] = ()
    off_documents: bool = False  # the question asked for an answer not from the documents
    read: int = 0  # candidate units the reader read without finding one that answers

    def to_json(self) -> dict[str, Any]:
        return {
            **({"read": self.read} if self.read else {}),
            "expected": self.expected,
            "type_found": self.type_found,
            "missing": list(self.missing),
            "confidence": round(self.confidence, 4),
            "threshold": round(self.threshold, 4),
            "closest": [c.to_json() for c in self.closest],
            **({"off_documents": True} if self.off_documents else {}),
        }


@dataclass(frozen=True)
class Answer:
    """The reply to one question: text with ``[n]`` markers and the citations they refer to."""

    question: str
    text: str
    answerable: bool
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    generator: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    confidence: float = 0.0  # the answerability score the decision was taken on
    language: str = "en"
    sentences: tuple[AnswerSentence, ...] = ()  # filled by generators that write free text
    standalone_question: str | None = None  # a follow-up rewritten with its history
    warnings: tuple[str, ...] = ()
    # With an LLM, the answer quoted from the documents first (shown while the LLM writes,
    # kept when it fails); None when the extractive answer is the only one.
    extractive: Answer | None = None
    # True on the quoted answer streamed before the LLM's: a later, final Answer follows.
    provisional: bool = False
    # A decline because the answer found did not address the question (rag.generation.relevance)
    not_an_answer: bool = False
    # Set on a declined answer: what was looked for and the closest sentences checked.
    decline: Decline | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question": self.question,
            "answer": self.text,
            "answerable": self.answerable,
            "citations": [c.to_json() for c in self.citations],
            "passages": [p.to_json() for p in self.passages],
            "generator": self.generator,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "confidence": round(self.confidence, 4),
            "language": self.language,
        }
        if self.sentences:
            data["sentences"] = [s.to_json() for s in self.sentences]
        if self.standalone_question is not None:
            data["standalone_question"] = self.standalone_question
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if self.provisional:
            data["provisional"] = True
        if self.not_an_answer:
            data["not_an_answer"] = True
        if self.extractive is not None:
            data["extractive"] = self.extractive.to_json()
        if self.decline is not None:
            data["decline"] = self.decline.to_json()
        return data
