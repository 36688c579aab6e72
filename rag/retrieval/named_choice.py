"""Evidence from a document that names what the question names, over a closer one that does not.

Over short paragraphs the most similar sentence is often from another document by a few
thousandths ("Après la guerre, les vétérans acadiens demandent de l'aide…" for "À qui les
Algérois demandent-ils de l'aide…", 0.878 vs 0.866 for "Les Algérois font alors appel aux
corsaires turcs."): its document never mentions the question's names, so the answerability
score declines (names missing) and a quote would be off-topic anyway. When a sentence that
scores within ``NAMED_MARGIN`` of the best comes from a document that mentions more of the
question's names, the sentences that outscore it are dropped from the evidence: it becomes the
best, for the decision and for the quote. Names only: a year or a count is written in many
documents about other things, so matching one says little about what a document is about. Held-out effect in
docs/bench-answerability.md ("Names in a close runner-up's document").
"""

from __future__ import annotations

from collections.abc import Callable

from rag.generation.base import Evidence
from rag.retrieval.answerability import (
    document_context,
    is_number,
    question_anchors,
    searchable_has,
)
from rag.store.snapshot import IndexSnapshot
from rag.types import Passage

# How far below the best sentence one from a better-named document may score and still
# replace it. Chosen on the training splits (scripts/calibrate_answerability.py rows): the
# narrowest margin past which no training set's false refusals drop further.
NAMED_MARGIN = 0.03


def missing_count(anchors: list[str], context: str) -> int:
    return sum(not searchable_has(context, a) for a in anchors)


def prefer_named(
    question: str,
    evidence: list[Evidence],
    context_of: Callable[[Evidence], str],
    margin: float = NAMED_MARGIN,
) -> list[Evidence]:
    """``evidence`` (best first), without the sentences that outscore the best-named close one
    when the best's document misses names of the question that it has."""
    anchors = [a for a in question_anchors(question) if not is_number(a)]
    if not evidence or not anchors:
        return evidence
    counts: dict[str, int] = {}

    def missing(e: Evidence) -> int:
        if e.source not in counts:
            counts[e.source] = missing_count(anchors, context_of(e))
        return counts[e.source]

    best = evidence[0]
    if not missing(best):
        return evidence
    near = [e for e in evidence if e.score >= best.score - margin]
    named = min(near, key=lambda e: (missing(e), -e.score))
    if missing(named) >= missing(best):
        return evidence
    return [e for e in evidence if e.score <= named.score]


def named_evidence(
    snapshot: IndexSnapshot, question: str, passages: list[Passage], evidence: list[Evidence]
) -> list[Evidence]:
    """``prefer_named`` over the retrieved passages' documents."""

    def context_of(e: Evidence) -> str:
        return document_context(snapshot.documents[passages[e.passage_number - 1].chunk.doc_id])

    return prefer_named(question, evidence, context_of)
