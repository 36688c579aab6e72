"""Exact lookup: the query verbatim, then the query after normalisation, on word boundaries."""

from __future__ import annotations

from rag.find.match import Match
from rag.find.normalise import Normalised, find_words
from rag.types import Document

VERBATIM_SCORE = 1.0
# Below verbatim so that, of two documents, the one quoted character for character ranks first.
NORMALISED_SCORE = 0.99


def find_verbatim(document: Document, query: str) -> list[Match]:
    """Every occurrence of the query, character for character."""
    matches = []
    at = document.text.find(query) if query else -1
    while at >= 0:
        end = at + len(query)
        matches.append(
            Match(document.source, at, end, document.text[at:end], VERBATIM_SCORE, "exact")
        )
        at = document.text.find(query, end)
    return matches


def find_normalised(document: Document, folded: Normalised, query: str) -> list[Match]:
    """Occurrences that differ only in case, accents, quotes, apostrophes, dashes or spacing."""
    matches = []
    for at in find_words(folded.text, query):
        start, end = folded.original_span(at, at + len(query))
        matches.append(
            Match(document.source, start, end, document.text[start:end], NORMALISED_SCORE, "exact")
        )
    return matches
