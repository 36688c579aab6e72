"""Sentence-aware chunking with exact character spans: ``text[start:end] == chunk.text``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any

from rag.types import Chunk, Document, Span

_PYSBD_LANGUAGES = {
    "en",
    "fr",
    "es",
    "de",
    "it",
    "nl",
    "pt",
    "ru",
    "pl",
    "da",
    "el",
    "ar",
    "ja",
    "zh",
}
# Paragraphs end at a blank line (a line of nothing but spaces counts as blank).
BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# A sentence longer than this (a table row, a minified line) is cut at whitespace.
_MAX_SENTENCE_CHARS = 1000
# pysbd's time grows with the square of a paragraph's length; longer ones (a minified page, a
# text dumped without blank lines) are split at sentence punctuation by a linear regex.
_PYSBD_MAX_LINE = 5000
_FAST_SENTENCE = re.compile(r".+?(?:[.!?…]+(?=\s)|$)", re.DOTALL)


@lru_cache(maxsize=16)
def _segmenter(language: str) -> Any:
    import pysbd

    return pysbd.Segmenter(language=language if language in _PYSBD_LANGUAGES else "en", clean=False)


def _strip_span(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _cut_long(text: str, span: Span, limit: int) -> list[Span]:
    start, end = span
    pieces: list[Span] = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        piece = _strip_span(text, start, cut)
        if piece:
            pieces.append(piece)
        start = cut
    piece = _strip_span(text, start, end)
    if piece:
        pieces.append(piece)
    return pieces


def _pysbd_segments(segmenter: Any, text: str) -> list[str]:
    """``segmenter.segment(text)`` without its cost: pysbd finds each sentence again in the
    text with a regex compiled for that sentence (over 60% of a 3.8 M-character book's
    splitting time, profiled); plain ``str.find`` gives the same sentences."""
    segments: list[str] = []
    prior_end = 0
    for sentence in segmenter.processor(text).process():
        if not sentence:
            continue
        # As pysbd does: the first occurrence (scanning without overlap from the start) that
        # ends after the previous sentence, with the whitespace after it.
        at = text.find(sentence)
        while at >= 0:
            end = at + len(sentence)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > prior_end:
                segments.append(text[at:end])
                prior_end = end
                break
            at = text.find(sentence, end)
    return segments


def _segment_paragraph(text: str, start: int, end: int, language: str) -> list[Span]:
    """Sentence spans of one paragraph ``text[start:end]``; its hard-wrapped lines are joined
    for the segmenter by a copy with single newlines as spaces (same length, same offsets)."""
    flat = text[start:end].replace("\n", " ")
    if not flat.strip():
        return []
    if len(flat) > _PYSBD_MAX_LINE:
        segments = [m.group() for m in _FAST_SENTENCE.finditer(flat)]
    else:
        segments = _pysbd_segments(_segmenter(language), flat) if len(flat) > 1 else [flat]
    spans: list[Span] = []
    cursor = 0
    for segment in segments:
        piece = segment.strip()
        if not piece:
            continue
        found = flat.find(piece, cursor)
        if found < 0:  # the segmenter altered the text; keep the rest of the paragraph whole
            break
        local = _strip_span(flat, found, found + len(piece))
        cursor = found + len(piece)
        if local:
            spans.append((start + local[0], start + local[1]))
    rest = _strip_span(flat, cursor, len(flat))
    if rest:
        spans.append((start + rest[0], start + rest[1]))
    return _merge_fragments(text, spans)


def _merge_fragments(text: str, spans: list[Span]) -> list[Span]:
    """Pieces that are not sentences rejoin their neighbours: a fragment of at most one word
    ("(", "Voir", "3.1.") joins the sentence after it (the one before when it ends the
    paragraph), and a cut with no space after a full stop ("~/.bashrc") was inside a word."""
    merged: list[Span] = []
    pending: int | None = None  # start of fragments waiting for the next sentence
    for start, end in spans:
        if pending is not None:
            start, pending = pending, None
        elif merged and _inside_word(text, merged[-1][1], start):
            start = merged.pop()[0]
        if len(_WORD.findall(text, start, end)) <= 1:
            pending = start
            continue
        merged.append((start, end))
    if pending is not None:
        if merged:
            merged[-1] = (merged[-1][0], spans[-1][1])
        else:
            merged.append((pending, spans[-1][1]))
    return merged


def _inside_word(text: str, end: int, start: int) -> bool:
    return end == start and text[end - 1] == "." and text[start].isalnum()


def _blocks(text: str, verbatim: tuple[Span, ...]) -> Iterator[tuple[int, int, bool]]:
    """Paragraphs (runs between blank lines) and verbatim blocks, in order, as (start, end,
    is_verbatim)."""
    cursor = 0
    for v_start, v_end in sorted(verbatim):
        if v_start < cursor or v_end > len(text):
            continue  # overlapping or stale spans: treat that text as prose
        for start, end in _paragraphs(text, cursor, v_start):
            yield start, end, False
        yield v_start, v_end, True
        cursor = v_end
    for start, end in _paragraphs(text, cursor, len(text)):
        yield start, end, False


def _paragraphs(text: str, start: int, end: int) -> Iterator[Span]:
    for blank in BLANK_LINE.finditer(text, start, end):
        yield start, blank.start()
        start = blank.end()
    yield start, end


def split_sentences(text: str, language: str = "en", verbatim: tuple[Span, ...] = ()) -> list[Span]:
    """Sentence spans of ``text``, in order, without surrounding whitespace.

    Sentences never cross a blank line (a paragraph break) and each ``verbatim`` span (a code
    block) is one unit, cut only when it is very long."""
    spans: list[Span] = []
    for start, end, is_verbatim in _blocks(text, verbatim):
        if is_verbatim:
            block = _strip_span(text, start, end)
            pieces = [block] if block else []
        else:
            pieces = _segment_paragraph(text, start, end, language)
        for piece in pieces:
            spans.extend(_cut_long(text, piece, _MAX_SENTENCE_CHARS))
    return spans


def leads_on(sentence: str) -> bool:
    """True for a sentence whose answer is what follows it: a heading or FAQ entry asking a
    question ("8.4 Comment afficher la liste des fichiers ?"), or a line introducing a command
    or a list ("…le système chroot local de pbuilder doit être initialisé :")."""
    return sentence.rstrip().endswith((":", "?", "："))


def chunk_spans(sentences: list[Span], chunk_chars: int, text: str = "") -> list[Span]:
    """Group consecutive sentences into spans of about ``chunk_chars`` characters.

    With ``text``, a sentence that leads on (see ``leads_on``) stays in the chunk of what it
    introduces, up to twice the size: cut after it, the command or answer it announces lands
    in another chunk, and the chunk that matches the question holds no answer."""
    chunks: list[Span] = []
    start: int | None = None
    end = 0
    previous = (0, 0)
    for s_start, s_end in sentences:
        if start is not None and s_end - start > chunk_chars:
            held = bool(text) and leads_on(text[previous[0] : previous[1]])
            if not held or s_end - start > 2 * chunk_chars:
                chunks.append((start, end))
                start = None
        if start is None:
            start = s_start
        end = s_end
        previous = (s_start, s_end)
    if start is not None:
        chunks.append((start, end))
    return chunks


def chunk_document(document: Document, chunk_chars: int) -> tuple[Document, list[Chunk]]:
    """The document with its sentence spans filled in, and its chunks in order."""
    sentences = split_sentences(document.text, document.language, document.verbatim)
    with_sentences = replace(document, sentences=tuple(sentences))
    chunks = [
        Chunk(
            source=document.source,
            doc_id=document.doc_id,
            index=i,
            start=start,
            end=end,
            text=document.text[start:end],
        )
        for i, (start, end) in enumerate(chunk_spans(sentences, chunk_chars, document.text))
    ]
    return with_sentences, chunks


def sentence_units(document: Document) -> list[Chunk]:
    """Each sentence as a one-sentence chunk, numbered by its place in ``document.sentences``.

    They are embedded next to the chunks: a chunk also scores by its best sentence, which finds
    the one sentence that answers a question inside an otherwise off-topic paragraph."""
    return [
        Chunk(document.source, document.doc_id, n, start, end, document.text[start:end])
        for n, (start, end) in enumerate(document.sentences)
    ]
