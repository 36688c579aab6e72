"""Quotable units: what a quote can be, cut the way documents carry answers.

A sentence is the usual unit, but an answer is often a table row (read with its header), an
option or definition entry (the term with its description), or a command block together with
the sentence that introduces it. Headings and navigation ("See …", "Next") say where an answer
is, never what it is: they are a unit's context, never a unit.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from rag.chunking import BLANK_LINE, leads_on
from rag.generation.base import Evidence
from rag.store.snapshot import IndexSnapshot
from rag.types import Document

# A table row reads as one line, its cells apart (rag.ingest.html): "-u | --update | Add …".
CELL_SEPARATOR = " | "
_PATH_SEPARATOR = " › "
# Pointers to another place, whatever the page: "See Installation.", "Voir aussi git(1)".
_POINTER = re.compile(
    r"^\s*(?:see|see also|voir|voir aussi|cf\.?|more information|for more details|"
    r"pour plus de détails|ready to|next|previous|suivant|précédent)\b",
    re.IGNORECASE,
)
# A pointer is short: a longer sentence opening with "See" may hold the answer itself.
_POINTER_WORDS = 14
_CONTEXT_CHARS = 120
# A paragraph this short is one unit: an answer often runs over two sentences ("This happens
# because …"), and a table row or list entry is a paragraph of its own anyway.
PARAGRAPH_CHARS = 400


@dataclass(frozen=True)
class Unit:
    """One candidate quote: consecutive sentences of one passage, quoted together, with the
    heading or table header that says what they are about (shown to a reader, never quoted)."""

    parts: tuple[Evidence, ...]  # in document order
    context: str
    language: str = ""  # its document's language

    @property
    def text(self) -> str:
        return " ".join(part.text for part in self.parts)

    @property
    def score(self) -> float:
        """The retrieval-side score of its best sentence."""
        return max(part.score for part in self.parts)

    @property
    def passage_number(self) -> int:
        return self.parts[0].passage_number

    @property
    def source(self) -> str:
        return self.parts[0].source


def is_pointer(text: str) -> bool:
    """A sentence that sends the reader elsewhere ("See Coverage summary.") rather than say."""
    return bool(_POINTER.match(text)) and len(text.split()) <= _POINTER_WORDS


def _section_title(document: Document, start: int) -> str:
    """The heading path of the section holding ``start``, its last two levels."""
    offsets = [at for at, _ in document.sections]
    index = bisect_right(offsets, start) - 1
    if index < 0:
        return ""
    return _PATH_SEPARATOR.join(document.sections[index][1].split(_PATH_SEPARATOR)[-2:])


def _table_header(document: Document, start: int) -> str:
    """The first row of the table holding the row at ``start``: the paragraphs before it
    that are rows too, back to the first."""
    text = document.text
    header = ""
    cursor = start
    while True:
        blank = text.rfind("\n\n", 0, cursor)
        if blank < 0:
            break
        previous_start = text.rfind("\n\n", 0, blank)
        previous_start = 0 if previous_start < 0 else previous_start + 2
        paragraph = text[previous_start:blank].strip()
        if CELL_SEPARATOR.strip() not in paragraph or "\n" in paragraph:
            break
        header = paragraph
        cursor = previous_start
    return header


def _context(document: Document, first: Evidence) -> str:
    pieces = [_section_title(document, first.start)]
    if CELL_SEPARATOR in first.text:
        header = _table_header(document, first.start)
        if header and header != first.text:
            pieces.append(header)
    return " — ".join(p for p in pieces if p)[:_CONTEXT_CHARS]


def _adjacent(document: Document, before: Evidence, after: Evidence) -> bool:
    """Whether ``after`` is the document's next sentence after ``before``."""
    starts = [s for s, _ in document.sentences]
    index = bisect_right(starts, before.start) - 1
    return index + 1 < len(starts) and starts[index + 1] == after.start


def _paragraphs(document: Document, sentences: Sequence[Evidence]) -> list[list[Evidence]]:
    """The sentences grouped by paragraph: a blank line, or a sentence left out between them
    (a fragment, or outside the passage), starts another."""
    groups: list[list[Evidence]] = []
    for sentence in sentences:
        if groups and _adjacent(document, groups[-1][-1], sentence):
            gap = document.text[groups[-1][-1].end : sentence.start]
            if not BLANK_LINE.search(gap):
                groups[-1].append(sentence)
                continue
        groups.append([sentence])
    return groups


def _pieces(document: Document, sentences: Sequence[Evidence]) -> list[list[Evidence]]:
    """What may be quoted whole: a short paragraph of prose, else each of its sentences;
    headings and pointers are left out (a ``[]`` marks where one was)."""
    pieces: list[list[Evidence]] = []
    for paragraph in _paragraphs(document, sentences):
        kept = [s for s in paragraph if s.kind != "heading" and not is_pointer(s.text)]
        short = sum(len(s.text) for s in paragraph) <= PARAGRAPH_CHARS
        if kept and kept == paragraph and short and all(s.kind == "text" for s in kept):
            pieces.append(kept)  # an answer and its reason, a value and its limit: together
            continue
        for sentence in paragraph:
            pieces.append([sentence] if sentence in kept else [])
    return pieces


def passage_units(document: Document, sentences: Sequence[Evidence]) -> list[Unit]:
    """The units of one passage, from its sentences in document order."""
    units: list[Unit] = []
    pending: list[Evidence] = []  # what introduces the next piece ("… with:"), held for it

    def close() -> None:
        if pending:
            units.append(Unit(tuple(pending), _context(document, pending[0]), document.language))
            pending.clear()

    for piece in _pieces(document, sentences):
        if not piece:  # a heading or a pointer: context, never part of a unit
            close()
            continue
        if pending and not _adjacent(document, pending[-1], piece[0]):
            close()
        pending.extend(piece)
        if not leads_on(piece[-1].text):
            close()
    close()
    return units


def quotable_units(snapshot: IndexSnapshot, evidence: Sequence[Evidence]) -> list[Unit]:
    """Every unit of the retrieved passages' sentences, best retrieval score first."""
    by_passage: dict[int, list[Evidence]] = {}
    for item in evidence:
        by_passage.setdefault(item.passage_number, []).append(item)
    units: list[Unit] = []
    for sentences in by_passage.values():
        ordered = sorted(sentences, key=lambda e: e.start)
        document = snapshot.document_by_source(ordered[0].source)
        if document is not None:
            units.extend(passage_units(document, ordered))
    return sorted(units, key=lambda u: u.score, reverse=True)
