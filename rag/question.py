"""A question as the assistant takes it: cleaned, bounded, and the documents it may read."""

from __future__ import annotations

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
