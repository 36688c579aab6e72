"""The scores above which `rag find` says a query was found, calibrated on public data."""

from __future__ import annotations

from dataclasses import dataclass

from rag.find.match import Match

# Calibrated by ``scripts/bench_find.py --calibrate`` (see docs/bench-find.md): positives are
# sentences of PIAF and XQuAD paragraphs quoted verbatim, with typos and punctuation noise, and
# translated (XQuAD English looked up among Spanish paragraphs); negatives are sentences of
# other paragraphs of the same articles, absent from the corpus (the hardest near-misses).
FUZZY_THRESHOLD = 0.80
SEMANTIC_FLOOR = 0.82
SEMANTIC_MARGIN = 0.05


@dataclass(frozen=True)
class Thresholds:
    """A match counts only at or above its kind's threshold; exact matches always count."""

    fuzzy: float = FUZZY_THRESHOLD
    semantic_floor: float = SEMANTIC_FLOOR  # minimum cosine similarity
    semantic_margin: float = SEMANTIC_MARGIN  # minimum lead over the runner-up sentences

    def accepts(self, match: Match, background: float) -> bool:
        if match.kind == "fuzzy":
            return match.score >= self.fuzzy
        if match.kind == "semantic":
            return (
                match.score >= self.semantic_floor
                and match.score - background >= self.semantic_margin
            )
        return True
