"""Word-level text normalisation that keeps a map from every output character to the original."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rag.types import Span

# Letters that NFKD leaves whole but people type as two: "oeuvre" for "œuvre".
_LIGATURES = {"œ": "oe", "æ": "ae", "ø": "o", "ß": "ss", "ı": "i", "ł": "l", "đ": "d"}


def _fold_char(ch: str) -> str:
    """One original character as its normalised letters and digits, or "" for a separator."""
    out = []
    for piece in unicodedata.normalize("NFKD", ch).casefold():
        if unicodedata.combining(piece):
            continue
        piece = _LIGATURES.get(piece, piece)
        if piece.isalnum():
            out.append(piece)
    return "".join(out)


@dataclass(frozen=True)
class Normalised:
    """``text`` is lowercase, accent-free words joined by single spaces; ``origin[i]`` is the
    index in the original text of the character that produced ``text[i]``."""

    text: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> Span:
        """The original span covering normalised ``text[start:end]`` (non-empty)."""
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> Normalised:
    """Fold case, accents, ligatures, quotes, apostrophes, dashes and spacing away.

    Every run of characters that is neither a letter nor a digit (punctuation, « », ’, NBSP,
    newlines) becomes one space, so "l’IA « partout »" and "l'IA \"partout\"" normalise alike.
    """
    chars: list[str] = []
    origin: list[int] = []
    pending_space = -1  # original index of the separator run waiting to become a space
    for index, ch in enumerate(text):
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":
            continue  # a decomposed accent or a soft hyphen belongs to the word it sits in
        folded = _fold_char(ch)
        if not folded:
            if chars and pending_space < 0:
                pending_space = index
            continue
        if pending_space >= 0:
            chars.append(" ")
            origin.append(pending_space)
            pending_space = -1
        chars.extend(folded)
        origin.extend([index] * len(folded))
    return Normalised("".join(chars), tuple(origin))


def find_words(haystack: str, needle: str) -> list[int]:
    """Start offsets of ``needle`` in ``haystack`` (both normalised) on word boundaries."""
    if not needle:
        return []
    starts = []
    at = haystack.find(needle)
    while at >= 0:
        end = at + len(needle)
        if (at == 0 or haystack[at - 1] == " ") and (end == len(haystack) or haystack[end] == " "):
            starts.append(at)
        at = haystack.find(needle, at + 1)
    return starts


def snap_to_words(text: str, start: int, end: int) -> Span:
    """Widen a normalised ``[start, end)`` span to whole words and trim edge spaces."""
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end
