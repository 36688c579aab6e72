"""Whitespace-insensitive text comparison: the seed text uses non-breaking spaces around « »."""

from __future__ import annotations

import re

from rag.types import Span

_SPACE = re.compile(r"\s+")  # \s covers U+00A0 and U+202F in Python's unicode regexes


def normalise_whitespace(text: str) -> str:
    """Casefolded, every run of whitespace (non-breaking included) one plain space, stripped."""
    return _SPACE.sub(" ", text).strip().casefold()


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    offsets: list[int] = []
    for match in re.finditer(r"\s+|\S+", text):
        piece = match.group()
        if piece[0].isspace():
            out.append(" ")
            offsets.append(match.start())
        else:
            for k, char in enumerate(piece):
                folded = char.casefold()
                out.append(folded)
                offsets.extend([match.start() + k] * len(folded))
    return "".join(out), offsets


def find_normalised(text: str, needle: str) -> Span | None:
    """The span of ``text`` matching ``needle`` up to whitespace and case, or None."""
    target = normalise_whitespace(needle)
    if not target:
        return None
    haystack, offsets = _normalised_with_offsets(text)
    at = haystack.find(target)
    if at < 0:
        return None
    end = at + len(target) - 1
    return offsets[at], offsets[end] + 1
