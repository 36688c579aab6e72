"""Whitespace- and case-insensitive search returns spans of the original text."""

from __future__ import annotations

import pytest

from rag.eval.text import find_normalised, normalise_whitespace


def test_normalise_whitespace_folds_non_breaking_spaces() -> None:
    assert normalise_whitespace(" «\u00a0Oui\u202f»\n\tNon ") == "« oui » non"


@pytest.mark.parametrize(
    ("text", "needle", "found"),
    [
        ("dit\u00a0«\u00a0oui  Monde\u00a0» hier", "« Oui monde »", "«\u00a0oui  Monde\u00a0»"),
        ("publiée mardi soir", "publiée mardi", "publiée mardi"),
        ("Straße x", "STRASSE", "Straße"),
        ("abc", "abd", None),
        ("abc", "   ", None),
    ],
)
def test_find_normalised(text: str, needle: str, found: str | None) -> None:
    span = find_normalised(text, needle)
    assert (text[span[0] : span[1]] if span else None) == found
