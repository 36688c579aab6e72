"""What `rag find` returns: located quotes with exact offsets, and the answer for one query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

MatchKind = Literal["exact", "fuzzy", "semantic"]


@dataclass(frozen=True)
class Match:
    """A span that the query quotes or means: ``document.text[start:end] == quote``."""

    source: str
    start: int
    end: int
    quote: str
    score: float  # 0..1; comparable within a kind, and exact > fuzzy > semantic in ranking
    kind: MatchKind
    # Where the quote is for a reader (see ``rag.locate``); None when unknown.
    page: int | None = None
    page_end: int | None = None
    section: str | None = None
    locator: str | None = None  # a slide, row or chapter ("slide 4"); None for pages
    ocr: bool | None = None  # True when the quote's text was OCR'd
    judged: bool = False  # found by the LLM's second look (rag.find.judged), not the model

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "score": round(self.score, 4),
            "kind": self.kind,
        }
        if self.judged:
            data["judged_by_llm"] = True
        where = {
            "page": self.page,
            "page_end": self.page_end,
            "section": self.section,
            "locator": self.locator,
            "ocr": self.ocr,
        }
        data.update({k: v for k, v in where.items() if v is not None})
        return data


@dataclass(frozen=True)
class FindResult:
    """Where one query's text occurs in the documents; ``found`` is false when nowhere."""

    query: str
    found: bool
    matches: tuple[Match, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "found": self.found,
            "matches": [m.to_json() for m in self.matches],
        }
