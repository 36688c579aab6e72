"""The decision `rag find` shipped before find_model.json (main at f4a2408), kept so that
scripts/bench_find.py reports before/after on the same run."""

from __future__ import annotations

from rag.find.finder import Candidates

# The closest single sentence, cosine ≥ 0.80 and lead ≥ 0.05.
LEAD_ONLY = (0.80, 0.05)


def decide_lead_only(candidates: Candidates, fuzzy: float) -> tuple[str, int, int] | None:
    floor, margin = LEAD_ONLY
    kept = [m for m in candidates.matches if m.kind != "fuzzy" or m.score >= fuzzy]
    for part in candidates.semantic:
        singles = sorted((c for c in part if not c.pair), key=lambda c: -c.features.cosine)
        if singles and singles[0].features.cosine >= floor and singles[0].features.lead >= margin:
            kept.append(singles[0].match)
    return (kept[0].source, kept[0].start, kept[0].end) if kept else None
