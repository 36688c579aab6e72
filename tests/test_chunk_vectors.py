"""Chunk vectors pooled from sentence vectors: each text embedded once, close to the chunk's own."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.chunk_vectors import pooled_chunk_vectors
from rag.pipeline import Assistant
from rag.settings import Settings
from rag.standalone import stands_alone
from rag.types import Chunk
from tests.conftest import SEED_FILE


def _chunk(doc: str, index: int, start: int, end: int) -> Chunk:
    return Chunk(f"{doc}.txt", doc, index, start, end, "x" * (end - start))


def test_pooled_vector_is_the_length_weighted_mean_of_the_sentences_inside():
    chunks = [_chunk("a", 0, 0, 30), _chunk("a", 1, 31, 40), _chunk("b", 0, 0, 10)]
    units = [_chunk("a", 0, 0, 10), _chunk("a", 1, 11, 30), _chunk("b", 0, 0, 10)]
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    pooled, missing = pooled_chunk_vectors(chunks, units, vectors)
    expected = np.array([10.0, 19.0]) / np.hypot(10.0, 19.0)
    assert np.allclose(pooled[0], expected)
    assert np.allclose(pooled[2], [0.6, 0.8])  # units of another document stay in theirs
    assert missing == [1] and not pooled[1].any()  # no sentence inside: the caller embeds it


@pytest.mark.parametrize("mode", ["pooled", "embedded"])
def test_index_chunk_vectors_match_the_chunks_own(tmp_path: Path, embedder, mode: str):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / "seed.txt")
    settings = Settings(
        corpus_dir=corpus, index_dir=tmp_path / "index", chunk_chars=400, chunk_vectors=mode
    )
    assistant = Assistant(settings, embedder=embedder)
    before = embedder.passages_embedded
    report = assistant.index()
    chunks = sorted(assistant.snapshot().chunks.values(), key=lambda c: c.index)
    document = assistant.snapshot().documents[chunks[0].doc_id]
    units = {document.text[s:e] for s, e in document.sentences}
    standing = {text for text in units if stands_alone(text)}
    # Pooled: every sentence once; embedded: the chunks too (and no fragment), each text once.
    texts = embedder.passages_embedded - before
    assert texts == len(units if mode == "pooled" else standing | {c.text for c in chunks})
    assert report.texts_embedded == texts

    stored = assistant.store.vectors.vectors([c.chunk_id for c in chunks])
    own = embedder.embed_passages([c.text for c in chunks])
    cosines = [float(stored[c.chunk_id] @ own[n]) for n, c in enumerate(chunks)]
    assert min(cosines) > (0.9 if mode == "pooled" else 0.999), cosines
    if mode == "pooled":
        assert min(cosines) < 0.999  # not the chunk's own: pooled from its sentences
    hits = assistant.retrieve("Quand le Bureau de l'industrie a-t-il été créé ?", k=1)
    assert hits and "Bureau" in hits[0].chunk.text
