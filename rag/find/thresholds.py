"""The scores above which `rag find` says a query was found, calibrated on public data."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rag.find.decision import (
    FindModel,
    SpanFeatures,
    shipped_model,
    shipped_same_language_threshold,
)
from rag.find.match import Match

# Read off ``scripts/bench_find.py --calibrate`` (docs/bench-find.md). Positives: sentences of
# PIAF paragraphs with typos, punctuation noise or cut short; negatives: sentences of other
# paragraphs of the same articles, absent from the corpus (on-topic near-misses).
# Fuzzy: negatives reach 0.63, noisy quotes start at 0.85; 0.75 sits between.
FUZZY_THRESHOLD = 0.75
# ...and a fuzzy match must keep the query's words, typos allowed (rag.find.overlap): written
# sentences that change a word or two of a real one ("not part of" -> "the core of") align at
# up to 0.93. Noisy quotes lose at most one word; 4 of the 6 edited ones lose 2-3.
FUZZY_UNMATCHED = 1


@dataclass(frozen=True)
class Thresholds:
    """A match counts only at or above its kind's threshold; exact matches always count. A
    semantic match counts when the fitted model (find_model.json) is sure enough of it."""

    fuzzy: float = FUZZY_THRESHOLD
    fuzzy_unmatched: int = FUZZY_UNMATCHED
    semantic: FindModel = field(default_factory=shipped_model)
    # A span in the query's own language counts from a lower probability, calibrated apart:
    # under the one threshold, more same-language paraphrases lay below it than a lower one
    # lets same-language negatives in (scripts/calibrate_find.py, docs/bench-find.md).
    semantic_same_language: float = field(default_factory=shipped_same_language_threshold)

    def semantic_score(self, match: Match, features: SpanFeatures) -> Match:
        """The match scored by the model's probability that the query means it."""
        return replace(match, score=self.semantic.probability(features.vector()))

    def semantic_threshold(self, features: SpanFeatures) -> float:
        """The probability at which a span with these features counts."""
        return self.semantic.threshold if features.cross_lingual else self.semantic_same_language

    def accepts(self, match: Match, unmatched: int = 0) -> bool:
        """Whether a match counts; ``unmatched`` counts the query's words a fuzzy match lacks.
        A semantic match (``match.score`` the model's probability) is held to the stricter,
        cross-lingual threshold here; ``semantic_threshold`` knows the span's language."""
        if match.kind == "fuzzy":
            return match.score >= self.fuzzy and unmatched <= self.fuzzy_unmatched
        if match.kind == "semantic":
            return match.score >= self.semantic.threshold
        return True
