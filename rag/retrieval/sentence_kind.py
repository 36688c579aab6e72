"""What a sentence of a document is: running text, a section heading, or a verbatim block.

A heading says where an answer is, not what it is ("7.1 Qu'est ce qu'un paquet Debian ?"
quoted as the answer to "which package…"); a code block alone rarely answers, but completes
the sentence that introduces it. Generators use the kind to choose what to quote."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Literal

from rag.types import Document

SentenceKind = Literal["text", "heading", "code"]

# A heading's sentence may start with its number ("1.1 ", "10.5. "), which PDF outlines
# leave out of the title; more than this before the title is running text.
_NUMBER_SLACK = 12
_PATH_SEPARATOR = " › "


def _squeezed_length(text: str) -> int:
    # Markdown keeps its "## " in the text, not in the section's title.
    return len("".join(text.split()).lstrip("#"))


def _is_heading(document: Document, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is one of the document's section headings, nothing more."""
    offsets = [at for at, _ in document.sections]
    first = bisect_left(offsets, start)
    last = bisect_right(offsets, min(end - 1, start + _NUMBER_SLACK))
    for at, path in document.sections[first:last]:
        title = path.rsplit(_PATH_SEPARATOR, 1)[-1]
        prefix = document.text[start:at]
        # Only a number before the title, and nothing after it but punctuation or a line break.
        if any(ch.isalpha() for ch in prefix):
            continue
        if _squeezed_length(document.text[at:end]) <= _squeezed_length(title) + 2:
            return True
    return False


def _in_verbatim(document: Document, start: int, end: int) -> bool:
    index = bisect_right([s for s, _ in document.verbatim], start) - 1
    return index >= 0 and document.verbatim[index][1] >= end


def sentence_kind(document: Document, start: int, end: int) -> SentenceKind:
    if document.sections and _is_heading(document, start, end):
        return "heading"
    if document.verbatim and _in_verbatim(document, start, end):
        return "code"
    return "text"
