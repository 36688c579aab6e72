"""Identifiers a question writes verbatim ("W:", "debian/watch", "UTF-8", "orig.tar.gz").

Technical documents answer about such tokens, and they read the same in every language: an
English question over French text shares its identifiers with the answer and little else, and
the word tokenizer cuts them into parts that occur everywhere ("W:" becomes "w").
"""

from __future__ import annotations

import re

# A letter, and inside or after it a digit or one of / . _ : - (so "W:", "latin1", "apt-get").
_LETTER = re.compile(r"[^\W\d_]")
_MARK = re.compile(r"[\d/._:-]")
_EDGES = "«»“”\"'‘’()[]{}<>,;?!"


def literals(question: str) -> list[str]:
    """The question's identifier-like words, casefolded, each once, in order."""
    found: list[str] = []
    for word in question.split():
        word = word.strip(_EDGES).rstrip(".")
        # An elision ("l'option") is a French word, not an identifier.
        if "'" in word or "’" in word or not _LETTER.search(word) or not _MARK.search(word):
            continue
        folded = word.casefold()
        if folded not in found:
            found.append(folded)
    return found


def literal_share(wanted: list[str], sentence: str) -> float:
    """Share of the ``wanted`` literals written in ``sentence`` as a whole word (0 when none
    are wanted): "debian/watch" is found in "le fichier debian/watch est", not in "watchdog"."""
    if not wanted:
        return 0.0
    text = sentence.casefold()
    found = sum(
        1 for word in wanted if re.search(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", text)
    )
    return found / len(wanted)
