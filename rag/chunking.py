"""Sentence-aware chunking with exact character spans: ``text[start:end] == chunk.text``."""

from __future__ import annotations

import re
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
_LINE = re.compile(r"[^\n]+")
# A sentence longer than this (a table row, a minified line) is cut at whitespace.
_MAX_SENTENCE_CHARS = 1000
# pysbd's time grows with the square of a line's length; longer lines (a minified page, a
# text dumped without line breaks) are split at sentence punctuation by a linear regex.
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


def split_sentences(text: str, language: str = "en") -> list[Span]:
    """Sentence spans of ``text``, in order, without surrounding whitespace; lines never merge."""
    segmenter = _segmenter(language)
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        line_text = line.group()
        if not line_text.strip():
            continue
        cursor = 0
        if len(line_text) > _PYSBD_MAX_LINE:
            segments = [m.group() for m in _FAST_SENTENCE.finditer(line_text)]
        else:
            segments = segmenter.segment(line_text) if len(line_text) > 1 else [line_text]
        for segment in segments:
            piece = segment.strip()
            if not piece:
                continue
            found = line_text.find(piece, cursor)
            if found < 0:  # the segmenter altered the text; keep the rest of the line whole
                found = cursor
                piece = line_text[cursor:]
            local = _strip_span(line_text, found, found + len(piece))
            cursor = found + len(piece)
            if local:
                span = (line.start() + local[0], line.start() + local[1])
                spans.extend(_cut_long(text, span, _MAX_SENTENCE_CHARS))
        if cursor < len(line_text):
            rest = _strip_span(line_text, cursor, len(line_text))
            if rest:
                spans.extend(
                    _cut_long(
                        text, (line.start() + rest[0], line.start() + rest[1]), _MAX_SENTENCE_CHARS
                    )
                )
    return spans


def chunk_spans(sentences: list[Span], chunk_chars: int) -> list[Span]:
    """Group consecutive sentences into spans of about ``chunk_chars`` characters."""
    chunks: list[Span] = []
    start: int | None = None
    end = 0
    for s_start, s_end in sentences:
        if start is not None and s_end - start > chunk_chars:
            chunks.append((start, end))
            start = None
        if start is None:
            start = s_start
        end = s_end
    if start is not None:
        chunks.append((start, end))
    return chunks


def chunk_document(document: Document, chunk_chars: int) -> tuple[Document, list[Chunk]]:
    """The document with its sentence spans filled in, and its chunks in order."""
    sentences = split_sentences(document.text, document.language)
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
        for i, (start, end) in enumerate(chunk_spans(sentences, chunk_chars))
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
