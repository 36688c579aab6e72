"""Clauses of a long sentence: a short query often says one clause of it ("China's foreign
ministry said Washington had politicized trade and technology" for "Lin Jian … a déclaré …
que « les États-Unis ont politisé le commerce et la technologie, a surchargé … »"), and the
whole sentence's vector is diluted by what the query leaves out."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

# Shorter sentences are a clause or two already: their own vector says them.
MIN_SENTENCE_WORDS = 16
# ...and so is a sentence not much longer than the query. Only windows of about the query's
# length are embedded: each costs a model call at query time (tens of ms on one thread).
_LONGER_THAN_QUERY = 1.5
_WINDOW_WORDS = (0.5, 2.0)
# A piece shorter than this joins the next one ("Lin Jian," alone means nothing).
_MIN_PIECE_WORDS = 4
# Windows of up to this many consecutive pieces; with the sentence's prefixes, a few tens of
# short texts per query (docs/bench-find.md measures the milliseconds).
_MAX_WINDOW = 3
_MAX_WINDOWS = 12

# Cut after punctuation that ends a clause or a quotation, before one that opens a quotation,
# and before the words that open a subordinate clause, in French and English.
_CUT = re.compile(
    r"(?<=[,;:»”–—)])\s+"
    r"|\s+(?=[«“(])"
    r"|\s+(?=(?:que|qu[’']|qui|dont|où|lorsque|alors|tandis|parce|car|mais|afin|"
    r"that|which|who|whom|whose|where|while|when|because|although|but)\b)",
    re.IGNORECASE,
)


def pieces(sentence: str) -> list[tuple[int, int]]:
    """The sentence cut into clause-like pieces, as (start, end) offsets within it; one piece
    for a sentence too short to cut."""
    if len(sentence.split()) < MIN_SENTENCE_WORDS:
        return [(0, len(sentence))]
    bounds: list[tuple[int, int]] = []
    start = 0
    for cut in _CUT.finditer(sentence):
        bounds.append((start, cut.start()))
        start = cut.end()
    bounds.append((start, len(sentence)))
    merged: list[tuple[int, int]] = []
    for s, e in bounds:
        if merged and len(sentence[merged[-1][0] : merged[-1][1]].split()) < _MIN_PIECE_WORDS:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    if len(merged) > 1 and len(sentence[merged[-1][0] : merged[-1][1]].split()) < _MIN_PIECE_WORDS:
        merged[-2:] = [(merged[-2][0], merged[-1][1])]
    return merged


def windows(sentence: str) -> list[tuple[int, int]]:
    """Runs of consecutive pieces that are not the whole sentence: every prefix (the subject
    and what it says first), then runs of up to three pieces; at most ``_MAX_WINDOWS``."""
    cut = pieces(sentence)
    if len(cut) < 2:
        return []
    spans = [(cut[0][0], cut[i][1]) for i in range(len(cut) - 1)]
    for size in range(1, _MAX_WINDOW + 1):
        for i in range(1, len(cut) - size + 1):
            spans.append((cut[i][0], cut[i + size - 1][1]))
    return list(dict.fromkeys(spans))[:_MAX_WINDOWS]


def windows_for(sentence: str, query_words: int) -> list[tuple[int, int]]:
    """The sentence's windows worth comparing with a query of ``query_words`` words: none
    for a sentence not much longer than it, else those of about its length."""
    if len(sentence.split()) < _LONGER_THAN_QUERY * query_words:
        return []
    low, high = (bound * query_words for bound in _WINDOW_WORDS)
    return [(a, b) for a, b in windows(sentence) if low <= len(sentence[a:b].split()) <= high]


class ClauseVectors:
    """Clause windows' embeddings, computed at query time for the few closest sentences only
    and kept, so a window is embedded once."""

    def __init__(self, embed: Callable[[Sequence[str]], np.ndarray]) -> None:
        self._embed = embed
        self._cache: dict[str, np.ndarray] = {}
        self.embedded = 0  # clause texts sent to the embedder

    def vectors(self, sentences: Sequence[str], query_words: int) -> list[np.ndarray]:
        """Each sentence's clause-window vectors (none for a sentence too short to cut, see
        ``windows_for``); the windows not seen before are embedded in one batch."""
        texts = [[s[a:b] for a, b in windows_for(s, query_words)] for s in sentences]
        todo = [t for t in dict.fromkeys(t for ts in texts for t in ts) if t not in self._cache]
        if todo:
            for text, vector in zip(todo, self._embed(todo), strict=True):
                self._cache[text] = vector
            self.embedded += len(todo)
        return [
            np.array([self._cache[t] for t in ts]) if ts else np.zeros((0, 0), dtype=np.float32)
            for ts in texts
        ]
