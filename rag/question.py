"""A question as the assistant takes it: cleaned, bounded, and the documents it may read."""

from __future__ import annotations

import re
from collections.abc import Collection

from rag.store.snapshot import IndexSnapshot


class QuestionError(ValueError):
    """A question the assistant refuses to process (empty, too long); the message says why."""


def clean_question(question: str, max_chars: int) -> str:
    # Control characters come from pasted terminal output; they carry no meaning for retrieval.
    cleaned = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in question).strip()
    if not cleaned:
        raise QuestionError("the question is empty")
    if len(cleaned) > max_chars:
        raise QuestionError(
            f"the question is {len(cleaned)} characters long; the limit is {max_chars} "
            "(setting RAG_MAX_QUESTION_CHARS)"
        )
    return cleaned


Sources = Collection[str] | None
"""Document paths (``source``) a question is limited to; None or empty: every document."""


def document_filter(snapshot: IndexSnapshot, sources: Sources) -> frozenset[str] | None:
    """The filter as retrieval takes it; a path that is not indexed is the user's error."""
    allowed = frozenset(sources or ())
    unknown = sorted(allowed - snapshot.records.keys())
    if unknown:
        known = ", ".join(sorted(snapshot.records)[:10])
        raise QuestionError(f"no indexed document '{unknown[0]}' (indexed: {known})")
    return allowed or None


# A question that asks to be answered from elsewhere than the documents ("ignore the
# documents…", "from memory", "sans citer") cannot be answered with cited passages: it is
# declined as such rather than answered with whatever sentence comes closest.
_OFF_DOCUMENTS = re.compile(
    # An order to set the documents aside: "Ignore the documents…", "Oubliez les consignes".
    r"(?:^|[.!?;:,]\s*)(?:please\s+)?(?:ignore|ignorez|ignora|oublie|oubliez|olvida|forget"
    r"|disregard)\s+(?:(?:the|all|any|your|previous|prior|above|les|tous|toutes|vos|tes|los|las"
    r"|todas?|tus|sus)\s+)*(?:documents?|documentos|instructions?|instrucciones|passages?"
    r"|sources?|context|contexte|consignes?)\b"
    # An answer asked from memory, or without its sources.
    r"|\b(?:tell|answer|say|write|give)\b[^.?!]{0,40}\bfrom (?:your )?(?:own )?memory\b"
    r"|\b(?:dis|dites|réponds|répondez)(?:-moi|-nous)?\s+de mémoire\b"
    r"|\b(?:dime|responde|contesta)\s+de memoria\b"
    r"|\bwithout (?:citing|quoting)\b|\bsans (?:rien )?citer\b|\bsin citar\b",
    re.IGNORECASE,
)


def asks_off_documents(question: str) -> bool:
    """Whether the question asks for an answer that does not come from the documents."""
    return _OFF_DOCUMENTS.search(question) is not None
