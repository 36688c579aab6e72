"""Measures of how well a document's text was extracted: garbled words, stray fragments."""

from __future__ import annotations

import re

from rag.types import Span

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
# French and English words stop well short of 25 letters ("anticonstitutionnellement" is
# 25); longer runs of letters are words glued together by an extractor that lost the spaces.
GARBLED_WORD_LETTERS = 25


def garbled_share(text: str) -> float:
    """The share of words longer than ``GARBLED_WORD_LETTERS`` letters (0 when no words)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    return sum(len(w) > GARBLED_WORD_LETTERS for w in words) / len(words)


def one_word_sentence_share(text: str, sentences: tuple[Span, ...] | list[Span]) -> float:
    """The share of sentences with at most one word: fragments cut off by line breaks."""
    if not sentences:
        return 0.0
    return sum(len(_WORD.findall(text[s:e])) <= 1 for s, e in sentences) / len(sentences)
