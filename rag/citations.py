"""From ``[n]`` markers to verbatim citations: map, renumber, and check every quote's offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.store.snapshot import IndexSnapshot
from rag.types import Citation, Passage

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


class CitationMismatch(AssertionError):
    """A citation's quote is not the document's text at its offsets: a bug, never shown to users."""


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


def best_sentence(snapshot: IndexSnapshot, passage: Passage, claim: str) -> tuple[int, int]:
    """The sentence of the passage that the claim most resembles (the quote it rests on)."""
    from rapidfuzz import fuzz

    chunk = passage.chunk
    document = snapshot.documents[chunk.doc_id]
    spans = [s for s in document.sentences if s[0] >= chunk.start and s[1] <= chunk.end]
    if not spans:
        return chunk.start, chunk.end
    return max(spans, key=lambda s: fuzz.partial_ratio(document.text[s[0] : s[1]], claim))


def cite(
    snapshot: IndexSnapshot, answer: str, passages: list[Passage]
) -> tuple[str, list[Citation]]:
    """Rewrite passage markers as citation numbers in order of appearance; drop unknown ones."""
    citations: list[Citation] = []
    by_quote: dict[tuple[str, int, int], int] = {}
    pieces: list[str] = []
    cursor = 0
    for claim in _claims(answer):
        pieces.append(answer[cursor : claim.span[0]])
        cursor = claim.span[1]
        numbers: list[int] = []
        for n in claim.numbers:
            if not 1 <= n <= len(passages):
                continue  # a marker for a passage that does not exist
            passage = passages[n - 1]
            start, end = best_sentence(snapshot, passage, claim.text)
            key = (passage.chunk.source, start, end)
            if key not in by_quote:
                text = snapshot.documents[passage.chunk.doc_id].text
                by_quote[key] = len(citations) + 1
                citations.append(Citation(by_quote[key], key[0], start, end, text[start:end]))
            if by_quote[key] not in numbers:
                numbers.append(by_quote[key])
        if numbers:
            pieces.append("".join(f"[{n}]" for n in numbers))
    pieces.append(answer[cursor:])
    text = re.sub(r"[ \t]+([.,])", r"\1", "".join(pieces)).strip()
    return text, citations


def verify(snapshot: IndexSnapshot, citations: list[Citation]) -> None:
    """Raise unless every quote is exactly the cited document's text at its offsets."""
    for citation in citations:
        document = snapshot.document_by_source(citation.source)
        if document is None or document.text[citation.start : citation.end] != citation.quote:
            raise CitationMismatch(f"citation [{citation.n}] does not match {citation.source}")
