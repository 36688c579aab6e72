"""From ``[n]`` markers to verbatim citations: one mapper for every answer path, and the check
that every quote is the document's text at its offsets.

Both the extractive answer (``cite``) and the LLM's (``rag.generation.cite.verify_answer``)
map a claim and the passage it cites to one sentence of that passage with ``best_quote``,
and number the quotes in order of first appearance with ``CitationTable``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from rag.generation.verify import missing_facts
from rag.store.snapshot import IndexSnapshot
from rag.types import Citation, Passage

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


class CitationMismatch(AssertionError):
    """A citation's quote is not the document's text at its offsets: a bug, never shown to users."""


@dataclass(frozen=True)
class Quote:
    """One sentence of a numbered passage, located in its document: ``text == doc[start:end]``."""

    passage_number: int  # 1-based, as the answer's markers count
    source: str
    start: int
    end: int
    text: str
    index: int  # position among its passage's sentences, to find neighbours


Quotes = dict[int, list[Quote]]  # passage number -> its sentences in document order


def snapshot_quotes(snapshot: IndexSnapshot, passages: Sequence[Passage]) -> Quotes:
    """The indexed sentences inside each passage; a passage without any is one quote whole."""
    quotes: Quotes = {}
    for number, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        document = snapshot.documents[chunk.doc_id]
        spans = [s for s in document.sentences if s[0] >= chunk.start and s[1] <= chunk.end]
        quotes[number] = [
            Quote(number, chunk.source, s, e, document.text[s:e], i)
            for i, (s, e) in enumerate(spans or [(chunk.start, chunk.end)])
        ]
    return quotes


def window(quotes: Quotes, quote: Quote) -> str:
    """The quote with its neighbours, so "he said" can be checked against the name before it."""
    sentences = quotes[quote.passage_number]
    return " ".join(q.text for q in sentences[max(0, quote.index - 1) : quote.index + 2])


def best_quote(
    claim: str, candidates: Sequence[Quote], quotes: Quotes, similarity: Callable[[Quote], float]
) -> Quote:
    """The candidate a claim rests on: the one stating its names and numbers itself, then the
    one whose neighbourhood does, then the closest by ``similarity``."""

    def rank(q: Quote) -> tuple[int, int, float]:
        own = missing_facts(claim, q.text)
        near = missing_facts(claim, window(quotes, q))
        return -len(own), -len(near), similarity(q)

    return max(candidates, key=rank)


class CitationTable:
    """Numbers distinct quotes 1, 2, … in the order the answer first cites them."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, int, int], int] = {}

    def number(self, quote: Quote) -> int:
        key = (quote.source, quote.start, quote.end)
        if key not in self._numbers:
            self._numbers[key] = len(self.citations) + 1
            self.citations.append(Citation(self._numbers[key], *key, quote.text))
        return self._numbers[key]


@dataclass(frozen=True)
class _Claim:
    text: str  # the answer text before the marker, back to the previous marker or sentence end
    numbers: tuple[int, ...]
    span: tuple[int, int]  # the marker's position in the answer


def _claims(answer: str) -> list[_Claim]:
    claims = []
    previous_end = 0
    for match in MARKER.finditer(answer):
        numbers = tuple(int(n) for n in re.split(r"\s*,\s*", match.group(1)))
        claims.append(_Claim(answer[previous_end : match.start()], numbers, match.span()))
        previous_end = match.end()
    return claims


def _resemblance(claim: str, quote: Quote) -> float:
    """How well the quote matches the claim, scaled by how much of the claim it covers.

    ``partial_ratio`` alone gives 100 to any fragment found inside the claim: a lone ":" or
    "paquet" beat the sentence itself whenever the claim had a lead-in ("D'après X : …")."""
    from rapidfuzz import fuzz

    coverage = min(1.0, len(quote.text) / max(1, len(claim.strip())))
    return float(fuzz.partial_ratio(quote.text, claim)) * (0.5 + 0.5 * coverage)


def cite(
    snapshot: IndexSnapshot, answer: str, passages: list[Passage]
) -> tuple[str, list[Citation]]:
    """Rewrite passage markers as citation numbers in order of appearance; drop unknown ones.

    Markers stay where they are; each names the passage sentence its claim most resembles.
    """
    quotes = snapshot_quotes(snapshot, passages)
    table = CitationTable()
    pieces: list[str] = []
    cursor = 0
    for claim in _claims(answer):
        pieces.append(answer[cursor : claim.span[0]])
        cursor = claim.span[1]
        numbers: list[int] = []
        for n in claim.numbers:
            if n not in quotes:
                continue  # a marker for a passage that does not exist
            quote = best_quote(claim.text, quotes[n], quotes, partial(_resemblance, claim.text))
            number = table.number(quote)
            if number not in numbers:
                numbers.append(number)
        if numbers:
            pieces.append("".join(f"[{n}]" for n in numbers))
    pieces.append(answer[cursor:])
    text = re.sub(r"[ \t]+([.,])", r"\1", "".join(pieces)).strip()
    return text, table.citations


def verify(snapshot: IndexSnapshot, citations: list[Citation]) -> None:
    """Raise unless every quote is exactly the cited document's text at its offsets."""
    for citation in citations:
        document = snapshot.document_by_source(citation.source)
        if document is None or document.text[citation.start : citation.end] != citation.quote:
            raise CitationMismatch(f"citation [{citation.n}] does not match {citation.source}")
