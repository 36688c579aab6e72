"""Language identification: stopword counts for short French/English text, langdetect otherwise."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Function words distinctive enough to tell the two languages we write answers in apart,
# even in a five-word question where statistical detectors guess wildly.
_STOPWORDS = {
    "en": set(
        """
        the a an of to in is are was were what who whom which when where why how does did do
        and or for with about from by on at this that these those it its has have had be
        been according say said says many much mentioned article there their they
        """.split()
    ),
    "fr": set(
        """
        le la les un une des du de d l au aux et ou est sont était qui que quoi quel quelle
        quels quelles quand où pourquoi comment combien dans sur pour par avec sans ce cette
        ces il elle ils elles son sa ses leur leurs a ont été selon dit cité article qu se
        ne pas
        """.split()
    ),
}


def detect_question_language(text: str) -> str:
    """Return "fr" or "en" for a question; English when there is no French evidence."""
    words = [w.lower() for w in _WORD.findall(text.replace("’", "'"))]
    fr = sum(w in _STOPWORDS["fr"] for w in words)
    en = sum(w in _STOPWORDS["en"] for w in words)
    if re.search(r"[àâçéèêëîïôûùüÿœ]", text.lower()):
        fr += 1
    return "fr" if fr > en else "en"


@lru_cache(maxsize=1)
def _langdetect_ready() -> bool:
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0  # langdetect is random unless seeded
    return True


def detect_document_language(text: str) -> str:
    """ISO 639-1 code of a document's main language, or "unknown" for text with no words."""
    sample = text[:5000]
    if not _WORD.search(sample):
        return "unknown"
    _langdetect_ready()
    from langdetect import LangDetectException, detect

    try:
        return str(detect(sample))
    except LangDetectException:
        return "unknown"


def sentence_language(text: str) -> str:
    """ "en" or "fr" for a sentence written in one of them, "unknown" for one that shows
    neither (a command line, a name, another language): two function words at least, and
    more of one language's than the other's."""
    words = [w.lower() for w in _WORD.findall(text.replace("’", "'"))]
    fr = sum(w in _STOPWORDS["fr"] for w in words)
    en = sum(w in _STOPWORDS["en"] for w in words)
    if max(fr, en) < 2 or fr == en:
        return "unknown"
    return "fr" if fr > en else "en"
