"""Whether a written bullet says what its cited sentences say, judged the way `rag find` is."""

from __future__ import annotations

from collections.abc import Sequence

from rag.brief.abstractive import Supports
from rag.find.finder import Finder
from rag.types import Citation


def cited_support(finder: Finder) -> Supports:
    """A bullet is supported when `rag find` finds it (exactly, fuzzily or in meaning, with the
    calibrated thresholds) in one of the sentences it cites, not merely somewhere else."""

    def supports(text: str, citations: Sequence[Citation]) -> bool:
        for match in finder.find(text).matches:
            for c in citations:
                if match.source == c.source and match.start < c.end and c.start < match.end:
                    return True
        return False

    return supports
