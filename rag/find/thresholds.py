"""The scores above which `rag find` says a query was found, calibrated on public data."""

from __future__ import annotations

from dataclasses import dataclass

from rag.find.match import Match

# Read off ``scripts/bench_find.py --calibrate`` (docs/bench-find.md). Positives: sentences of
# PIAF paragraphs with typos, punctuation noise or cut short, and English XQuAD sentences looked
# up among the Spanish paragraphs; negatives: sentences of other paragraphs of the same
# articles, absent from the corpus (on-topic near-misses).
# Fuzzy: negatives reach 0.63, noisy quotes start at 0.85; 0.75 sits between.
FUZZY_THRESHOLD = 0.75
# Semantic: the lead over the runners-up separates (the cosine alone does not: on-topic
# negatives reach 0.88). On the public data, leads of 0.045-0.06 do about equally well
# (translations found 97-100%, negatives rejected 97-99%); on the seed article's dev queries
# paraphrases and translations lead by 0.058-0.097 and absent sentences by at most 0.027.
# 0.05 leaves room on both sides. The cosine floor only rejects queries unlike every sentence.
SEMANTIC_FLOOR = 0.80
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
