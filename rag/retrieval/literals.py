"""Identifiers a question writes verbatim ("W:", "debian/watch", "UTF-8", "orig.tar.gz").

Technical documents answer about such tokens, and they read the same in every language: an
English question over French text shares its identifiers with the answer and little else, and
the word tokenizer cuts them into parts that occur everywhere ("W:" becomes "w").
"""

from __future__ import annotations

import re

_LETTER = re.compile(r"[^\W\d_]")
# One of / . _ : marks an identifier ("W:", "debian/watch", ".deb"); a hyphen does when the
# word also has a digit or is lower case ("UTF-8", "apt-get"), not in a name ("Saint-Denis").
# Letters and digits alone ("910D", "latin1") are names as often as identifiers: the question's
# names are what the answerability checks, and a bonus for them would make "what is the clock
# frequency of the 910D?" look answered by any sentence naming the chip.
_MARK = re.compile(r"[/._:]")
_HYPHEN = re.compile(r"-")
_EDGES = "«»“”\"'‘’()[]{}<>,;?!"


def literals(question: str) -> list[str]:
    """The question's identifier-like words, casefolded, each once, in order."""
    found: list[str] = []
    for word in question.split():
        word = word.strip(_EDGES).rstrip(".")
        # An elision ("l'option") is a French word, not an identifier.
        if "'" in word or "’" in word or not _LETTER.search(word):
            continue
        hyphenated = bool(_HYPHEN.search(word)) and (
            any(ch.isdigit() for ch in word) or word == word.lower()
        )
        if not (_MARK.search(word) or hyphenated):
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
    return sum(1 for word in wanted if any(_written(form, text) for form in _forms(word))) / len(
        wanted
    )


def _forms(word: str) -> tuple[str, ...]:
    # Prose names a path by its last part: "debian/watch" is "le fichier watch".
    base = word.rstrip("/").rsplit("/", 1)[-1]
    return (word, base) if base != word and _LETTER.search(base) else (word,)


def _written(word: str, text: str) -> bool:
    return re.search(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", text) is not None
