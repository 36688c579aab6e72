"""What `rag brief` returns: bullets, each resting on verbatim cited sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rag.types import Citation


@dataclass(frozen=True)
class Bullet:
    """One point of a briefing and the sentences it rests on (``quote`` verbatim at offsets).

    ``text`` ends with the ``[n]`` markers of its citations, as an answer's text does.
    """

    text: str
    citations: tuple[Citation, ...]

    @classmethod
    def marked(cls, text: str, citations: tuple[Citation, ...]) -> Bullet:
        """A bullet whose text is ``text`` followed by its citations' markers."""
        return cls(f"{text} {''.join(f'[{c.n}]' for c in citations)}", citations)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "citations": [c.to_json() for c in self.citations]}


@dataclass(frozen=True)
class Briefing:
    """A short briefing over the whole document set, or one document, in reading order."""

    bullets: tuple[Bullet, ...]
    sources: tuple[dict[str, str], ...]  # source, title, language of each document covered
    generator: str
    language: str
    warnings: tuple[str, ...] = ()
    # With an LLM: the quoted briefing given first (and kept when the LLM fails); else None.
    extractive: Briefing | None = None
    provisional: bool = False  # the quoted briefing shown while the LLM writes

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "bullets": [b.to_json() for b in self.bullets],
            "sources": list(self.sources),
            "generator": self.generator,
            "language": self.language,
        }
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if self.provisional:
            data["provisional"] = True
        if self.extractive is not None:
            data["extractive"] = self.extractive.to_json()
        return data
