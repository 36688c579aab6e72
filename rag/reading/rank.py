"""Candidate units ranked by what they say in their place: each embedded with its context.

A sentence alone often does not say what it is about: "(integer, default 99) Controls which
directories are identified as packages" answers a question about ``[xml] package_depth`` only
under that heading, and a table row only under its header. Embedded with their context, the
units holding the answer on the English development set ranked in the first 8 for 18 of 22
questions, against 16 by their sentences' own scores (scripts/reader_probe.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rag.embedding import Embedder
from rag.generation.base import Evidence
from rag.reading.units import Unit, quotable_units
from rag.store.snapshot import IndexSnapshot

# Units re-ranked in context, the best by their sentences' scores: embedding is the cost
# (~50 ms a unit on 2 cores), and past the first 20 the English development set's answering
# units gained nothing in the first five (17 of 22 either way).
IN_CONTEXT = 20


def in_context(unit: Unit) -> str:
    """The text embedded for a unit: its context, then its own text."""
    return f"{unit.context}: {unit.text}" if unit.context else unit.text


def rank_in_context(
    units: Sequence[Unit], question_vector: np.ndarray, embedder: Embedder
) -> list[tuple[Unit, float]]:
    """The units with their similarity in context to the question, best first."""
    if not units:
        return []
    vectors = np.asarray(embedder.embed_passages([in_context(u) for u in units]))
    similarity = vectors @ question_vector
    order = np.argsort(-similarity, kind="stable")
    return [(units[i], float(similarity[i])) for i in order]


def candidates(
    snapshot: IndexSnapshot,
    evidence: Sequence[Evidence],
    question_vector: np.ndarray,
    embedder: Embedder,
    limit: int = IN_CONTEXT,
) -> list[Unit]:
    """The quotable units of the passages' sentences, the ``limit`` best by score ranked in
    context: what a reader reads, best first."""
    units = quotable_units(snapshot, evidence)[:limit]
    return [unit for unit, _ in rank_in_context(units, question_vector, embedder)]
