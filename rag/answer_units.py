"""The unit a quantity question names ("combien de jours", "how much disk space") and whether a
text has a word of that unit.

A number alone does not answer "how much disk space": "about 1000 packages" is a number of
something else. Only units a question names outright are known (durations counted in days,
years…, and amounts of data); any other quantity question needs no unit (None).
French, English and Spanish, matched on folded text (no accents, no case).
"""

from __future__ import annotations

import re

from rag.answer_type import fold

_DURATION_UNITS = (
    r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries"
    r"|secondes?|heures?|jours?|journees?|semaines?|mois|ans|annees?|decennies?|siecles?"
    r"|segundos?|minutos?|horas?|dias?|semanas?|mes|meses|anos?|decadas?|siglos?"
)
_DATA_WORDS = (
    r"bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?|petabytes?|octets?|kilooctets?"
    r"|megaoctets?|gigaoctets?|teraoctets?"
)
_DATA_SYMBOLS = r"[kmgtp]i?b|[kmgtp]o"  # after a number only: "to", "go" are words
_COUNTED = r"how many|combien d(?:e |')|cuant[oa]s"
_UNITS = {
    "duration": (
        re.compile(rf"\b(?:{_COUNTED})\s*(?:\w+\s+)?(?:{_DURATION_UNITS})\b"),
        re.compile(rf"\b(?:{_DURATION_UNITS})\b"),
    ),
    "data": (
        re.compile(
            r"\b(?:disk space|storage|memory|ram|espace disque|espace de stockage|memoire"
            r"|espacio en disco|almacenamiento|memoria)\b"
        ),
        re.compile(rf"\d\s?(?:{_DATA_SYMBOLS})\b|\b(?:{_DATA_WORDS})\b"),
    ),
}


def named_unit(question: str) -> str | None:
    """ "duration" or "data" when the question names the unit its answer is counted in."""
    folded = fold(question)
    return next((unit for unit, (asked, _) in _UNITS.items() if asked.search(folded)), None)


def has_unit(text: str, unit: str) -> bool:
    """Whether ``text`` has a word of ``unit`` (a unit ``named_unit`` returns)."""
    return bool(_UNITS[unit][1].search(fold(text)))
