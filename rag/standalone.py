"""Which sentences get a vector of their own: those that can stand alone as a statement."""

from __future__ import annotations

import re

# Fewer words than this is a fragment (a heading, "(1)", "paquet", a table cell, the dots of
# a table of contents): about half the units of a real manual, and a quarter of its text.
# Embedding them cost more than the chunks did; no question is answered by one alone, and
# its chunk is still embedded and searched (docs in the report of branch indexing).
MIN_WORDS = 3

_WORD = re.compile(r"\w", re.UNICODE)


def stands_alone(text: str) -> bool:
    """Whether ``text`` has at least ``MIN_WORDS`` words (tokens with a letter or digit)."""
    words = 0
    for token in text.split():
        if _WORD.search(token):
            words += 1
            if words >= MIN_WORDS:
                return True
    return False
