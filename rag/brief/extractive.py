"""Extractive briefing: sentences that together cover a document, one per paragraph, then
the picks that together cover the document set."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from rag.store.sentence_vectors import DocumentSentenceVectors
from rag.types import Document, Span

# Captions, datelines and headings are not points; neither are questions left to the reader.
MIN_WORDS = 6
# A sentence this short is usually a paragraph's topic line ("The latest directive follows a
# period of regulatory volatility."); the bullet takes a neighbouring sentence along.
SHORT_WORDS = 15
# e5 puts any two sentences at a cosine of 0.75-0.85; only similarity above this quantile of a
# document's pairs counts as one sentence covering another.
COVER_QUANTILE = 0.75
# News puts its main point first; the prior fades linearly to nothing at the end of a document.
POSITION_WEIGHT = 0.05
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Pick:
    """Sentences chosen as one bullet (a sentence, or a short one and the next), best first."""

    doc_id: str
    spans: tuple[Span, ...]
    score: float  # 1 for a document's first pick, falling towards 0 for its last
    vector: np.ndarray

    @property
    def start(self) -> int:
        return self.spans[0][0]


def eligible(document: Document) -> list[Span]:
    """Sentence spans that can stand alone as a point."""
    spans = []
    for start, end in document.sentences:
        sentence = document.text[start:end]
        if len(sentence.split()) >= MIN_WORDS and not sentence.rstrip().endswith(("?", ":")):
            spans.append((start, end))
    return spans


def paragraphs(document: Document, spans: list[Span]) -> list[int]:
    """The paragraph number of each span; text without blank lines is one sentence a paragraph."""
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(document.text)]
    if not breaks:
        return list(range(len(spans)))
    return [bisect_right(breaks, start) for start, _ in spans]


def cover(
    vectors: np.ndarray, count: int, prior: np.ndarray, groups: list[int] | None = None
) -> list[int]:
    """Greedy facility location: each step takes the row that most raises how well the chosen
    rows cover all rows, plus its prior; with ``groups``, one row a group while any is left."""
    similarity = vectors @ vectors.T
    gains = np.clip(similarity - np.quantile(similarity, COVER_QUANTILE), 0.0, None)
    covered = np.zeros(len(vectors))
    chosen: list[int] = []
    while len(chosen) < min(count, len(vectors)):
        gain = np.clip(gains - covered[None, :], 0.0, None).sum(axis=1)
        gain = gain / (gain.max() or 1.0) + prior
        gain[chosen] = -np.inf
        if groups is not None:
            used = {groups[i] for i in chosen}
            # A finite penalty: a second sentence of a paragraph only once all are used.
            gain -= 10.0 * np.array([g in used for g in groups])
        best = int(np.argmax(gain))
        chosen.append(best)
        covered = np.maximum(covered, gains[best])
    return chosen


def _with_neighbour(document: Document, span: Span) -> tuple[Span, ...]:
    """The span, with the next sentence of its paragraph when the span is a short one, or
    else the previous one (a short last sentence leans on it: "The chip should rival...")."""
    if len(document.text[span[0] : span[1]].split()) >= SHORT_WORDS:
        return (span,)
    index = document.sentences.index(span)
    if index + 1 < len(document.sentences):
        following = document.sentences[index + 1]
        if not _PARAGRAPH_BREAK.search(document.text[span[1] : following[0]]):
            return (span, following)
    if index > 0:
        previous = document.sentences[index - 1]
        if not _PARAGRAPH_BREAK.search(document.text[previous[1] : span[0]]):
            return (previous, span)
    return (span,)


def brief_document(document: Document, store: DocumentSentenceVectors, keep: int) -> list[Pick]:
    """The map step: up to ``keep`` picks of one document, in order of choice."""
    spans = eligible(document) or list(document.sentences)
    if not spans:
        return []
    rows = {span: i for i, span in enumerate(document.sentences)}
    vectors = store.vectors(document)[[rows[span] for span in spans]]
    groups = paragraphs(document, spans)
    prior = POSITION_WEIGHT * np.linspace(1.0, 0.0, num=len(spans))
    chosen = cover(vectors, keep, prior, groups)
    return [
        Pick(
            document.doc_id,
            _with_neighbour(document, spans[i]),
            1.0 - rank / max(1, len(chosen)),
            vectors[i],
        )
        for rank, i in enumerate(chosen)
    ]


def combine(picks: list[Pick], count: int) -> list[Pick]:
    """The reduce step: ``count`` picks that cover the union of every document's picks, each
    document's own order as the prior. Only picks are compared: cost grows with documents."""
    if len({p.doc_id for p in picks}) <= 1:
        return picks[:count]
    vectors = np.vstack([p.vector for p in picks])
    prior = POSITION_WEIGHT * np.array([p.score for p in picks])
    return [picks[i] for i in cover(vectors, count, prior)]
