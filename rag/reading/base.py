"""What a reader receives and returns: candidate units in, the unit that answers (or none) out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from rag.generation.base import Evidence
from rag.reading.units import Unit


@dataclass(frozen=True)
class Reading:
    """A reader's verdict on one question's units."""

    chosen: Unit | None  # the unit that answers; None: none of them does
    confidence: float = 0.0  # how sure the reader is that ``chosen`` answers (0..1)
    read: int = 0  # how many units it read


class Reader(Protocol):
    """Decides which of the candidate units answers the question, or that none does."""

    name: str

    def read(self, question: str, units: Sequence[Unit]) -> Reading: ...


def chosen_first(evidence: Sequence[Evidence], reading: Reading) -> list[Evidence]:
    """The evidence with the chosen unit's sentences first, in document order: what the
    quote and the writer's prompt start from."""
    if reading.chosen is None:
        return list(evidence)
    parts = reading.chosen.parts
    top = max(item.score for item in evidence) if evidence else 0.0
    keys = {(p.source, p.start) for p in parts}
    lifted = [replace(p, score=top + 1.0 - 0.001 * i) for i, p in enumerate(parts)]
    return lifted + [e for e in evidence if (e.source, e.start) not in keys]
