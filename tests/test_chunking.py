"""Sentence splitting and chunking keep exact offsets into the document text."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.chunking import _pysbd_segments, _segmenter, chunk_document, split_sentences
from rag.ingest.loader import text_hash
from rag.types import Document
from tests.conftest import SEED_FILE


def _document(text: str, language: str = "fr") -> Document:
    return Document("doc.txt", text, text_hash(text), "doc", language)


def test_seed_sentences_are_exact_and_ordered():
    text = SEED_FILE.read_text(encoding="utf-8")
    spans = split_sentences(text, "fr")
    assert len(spans) > 15
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    sentences = [text[s:e] for s, e in spans]
    assert "La trajectoire de Huawei est un exemple." in sentences
    # Abbreviations and quotes with non-breaking spaces do not end sentences early.
    assert any(
        s.startswith("Le PDG de Nvidia, Jensen Huang") and s.endswith("le mois dernier.")
        for s in sentences
    )


def test_chunks_cover_whole_sentences_within_size():
    text = SEED_FILE.read_text(encoding="utf-8")
    document, chunks = chunk_document(_document(text), chunk_chars=700)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert (chunk.start, chunk.end) != (0, 0)
    starts = {s for s, _ in document.sentences}
    ends = {e for _, e in document.sentences}
    assert all(c.start in starts and c.end in ends for c in chunks)
    for chunk in chunks:
        inside = [s for s in document.sentences if chunk.start <= s[0] and s[1] <= chunk.end]
        assert len(chunk.text) <= 700 or len(inside) == 1


_text = st.text(
    alphabet=st.sampled_from(list("abcdefghij ÉéàçAB.!?;:«»’'\n\u00a0\t0123456789-–")),
    max_size=3000,
)


@settings(max_examples=150, deadline=None)
@given(
    text=_text,
    size=st.integers(min_value=100, max_value=1500),
    language=st.sampled_from(["fr", "en"]),
)
def test_offsets_always_match_text(text: str, size: int, language: str):
    document, chunks = chunk_document(_document(text, language), chunk_chars=size)
    for start, end in document.sentences:
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
    previous_end = 0
    for chunk in chunks:
        assert chunk.start >= previous_end
        previous_end = chunk.end
    # Nothing but whitespace is left out of the chunks.
    covered = "".join(chunk.text for chunk in chunks)
    assert "".join(covered.split()) == "".join(text.split())


def test_a_sentence_introducing_a_command_stays_in_the_chunk_of_the_command():
    from rag.chunking import chunk_spans, split_sentences

    intro = "D'abord, le système chroot local de pbuilder doit être initialisé :"
    text = "Une phrase de contexte assez longue pour remplir le morceau. " * 2 + intro
    text += "\n\n$ sudo pbuilder create\n\nEnsuite, on construit le paquet."
    sentences = split_sentences(text, "fr")
    limit = text.index(intro) + len(intro) + 5  # the command would overflow the chunk
    plain = chunk_spans(sentences, limit)
    held = chunk_spans(sentences, limit, text)
    assert any(text[s:e].endswith(intro) for s, e in plain)  # cut right after the colon
    chunk = next(text[s:e] for s, e in held if intro in text[s:e])
    assert "sudo pbuilder create" in chunk


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Voir p. 3 et M. Dupont.  Il vient. Il vient. Fin ?  Oui !"),
        ("en", "Dr. Smith arrived at 5 p.m. on Jan. 3. He left.\tThen  he came back. He left."),
        ("en", "A. B. C. The end... Really? Yes.   "),
        ("de", "Das ist z. B. ein Satz. Noch einer; und dann: Ende."),
    ],
)
def test_sentence_spans_are_pysbds_own(language: str, text: str):
    # The spans are found with str.find instead of pysbd's regex per sentence: same segments.
    segmenter = _segmenter(language)
    assert _pysbd_segments(segmenter, text) == segmenter.segment(text)
