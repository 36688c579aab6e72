"""Sentence vectors: stored with the chunks, kept in step with them, and used by retrieval."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from rag.pipeline import Assistant
from rag.retrieval.hybrid import retrieve
from rag.settings import Settings
from rag.standalone import stands_alone
from rag.store.manifest import DocumentRecord
from rag.store.snapshot import IndexSnapshot
from rag.types import Chunk, Document, unit_id
from tests.conftest import SEED_FILE


@pytest.fixture
def assistant(tmp_path: Path, embedder) -> Assistant:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / "seed.txt")
    (corpus / "chats.txt").write_text(
        "Les chats dorment seize heures par jour. Ils chassent surtout la nuit.\n", encoding="utf-8"
    )
    return Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=embedder)


def _sentence_count(assistant: Assistant) -> int:
    """Sentences that stand alone: each has a vector of its own in the index."""
    return sum(
        stands_alone(d.text[s:e])
        for d in assistant.snapshot().documents.values()
        for s, e in d.sentences
    )


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("Installez le paquet.", True),
        ("Les chats dorment seize heures par jour.", True),
        ("(1)", False),
        (". . . .", False),
        ("paquet", False),
        ("Chapitre 3", False),
        ("— Voir aussi —", False),
    ],
)
def test_which_sentences_stand_alone(text: str, alone: bool):
    assert stands_alone(text) is alone


def test_fragments_get_no_vector_and_find_still_works(tmp_path: Path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.txt").write_text(
        "Sommaire\n\n(1)\n\nLes chats dorment seize heures par jour.\n\n"
        ". . . .\n\nIls chassent surtout la nuit.\n",
        encoding="utf-8",
    )
    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder)
    report = assistant.index()
    document = assistant.snapshot().document_by_source("guide.txt")
    assert document is not None
    texts = [document.text[s:e] for s, e in document.sentences]
    assert report.sentences_embedded == 2 < len(texts)
    ids = [unit_id(document.doc_id, n) for n in range(len(texts))]
    stored = assistant.store.sentences.vectors(ids)
    assert {texts[ids.index(i)] for i in stored} == {
        "Les chats dorment seize heures par jour.",
        "Ils chassent surtout la nuit.",
    }
    before = embedder.passages_embedded
    found = assistant.find("Sommaire")  # verbatim still finds a fragment
    assert found.found and found.matches[0].kind == "exact"
    translated = assistant.find("Cats sleep sixteen hours a day.")  # and meaning the rest
    assert translated.found and "seize heures" in translated.matches[0].quote
    assert embedder.passages_embedded - before == 1  # only the query: no fragment embedded


def test_every_sentence_is_stored_and_leaves_with_its_document(assistant: Assistant):
    report = assistant.index()
    assert report.sentences_embedded == _sentence_count(assistant) > report.chunks
    assert assistant.store.sentences.count() == report.sentences_embedded
    document = assistant.snapshot().document_by_source("chats.txt")
    assert document is not None
    stored = assistant.store.sentences.vectors([unit_id(document.doc_id, 1)])
    expected = assistant.embedder.embed_passages(["Ils chassent surtout la nuit."])[0]
    assert np.allclose(stored[unit_id(document.doc_id, 1)], expected, atol=1e-5)

    (assistant.settings.corpus_dir / "chats.txt").unlink()
    assistant.index()
    assert assistant.store.sentences.doc_ids() == set(assistant.snapshot().documents)
    assert document.doc_id not in assistant.store.sentences.doc_ids()
    assert assistant.store.sentences.count() == _sentence_count(assistant)


def test_answering_embeds_no_sentence_the_index_holds(assistant: Assistant):
    assistant.index()
    before = assistant.embedder.passages_embedded  # type: ignore[attr-defined]
    answer = assistant.ask("Que font les chats la nuit ?")
    assert answer.answerable and "chassent" in answer.text
    assert assistant.embedder.passages_embedded == before  # type: ignore[attr-defined]


def test_an_index_from_before_sentence_vectors_answers_then_is_reembedded(assistant: Assistant):
    first = assistant.index()
    manifest_path = assistant.layout.manifest
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["version"] = 1  # what the previous release wrote, with no sentence vectors
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assistant.store.sentences.clear()

    reader = Assistant(assistant.settings, embedder=assistant.embedder)
    passages = reader.retrieve("Combien d'heures dorment les chats ?", k=3)
    assert passages[0].chunk.source == "chats.txt"  # chunks alone still rank

    report = reader.index()
    assert report.passages_embedded == first.chunks  # everything embedded again, once
    assert reader.store.sentences.count() == _sentence_count(reader)
    assert reader.store.vectors.count() == report.chunks  # the old chunk vectors went


class _MemoryVectors:
    """An in-memory vector store with exact cosine search: the protocol, nothing else."""

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self._vectors = {k: v / np.linalg.norm(v) for k, v in vectors.items()}

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        scored = [(key, float(v @ vector)) for key, v in self._vectors.items()]
        return sorted(scored, key=lambda item: -item[1])[:k]

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        return {i: self._vectors[i] for i in ids if i in self._vectors}

    def count(self) -> int:
        return len(self._vectors)


def _unit(angle: float) -> np.ndarray:
    """A unit vector at ``angle`` radians from the query direction (1, 0, 0)."""
    return np.array([np.cos(angle), np.sin(angle), 0.0])


def _snapshot(sentence_angles: dict[str, tuple[float, float]]) -> IndexSnapshot:
    """Two one-paragraph documents of two sentences each; question words occur in neither."""
    documents, chunks = {}, {}
    chunk_vectors, sentences = {}, {}
    # As a whole, beta is closer to the question than alpha.
    for name, angle in (("alpha", 0.9), ("beta", 0.5)):
        text = f"{name} one. {name} two."
        document = Document(f"{name}.txt", text, name, name, "en", ((0, 10), (11, len(text))))
        chunk = Chunk(document.source, document.doc_id, 0, 0, len(text), text)
        documents[document.doc_id] = document
        chunks[chunk.chunk_id] = chunk
        chunk_vectors[chunk.chunk_id] = _unit(angle)
        for n, sentence_angle in enumerate(sentence_angles.get(name, ())):
            sentences[unit_id(document.doc_id, n)] = _unit(sentence_angle)
    records = {
        d.source: DocumentRecord(d.source, d.doc_id, d.content_hash, "f", 1, 1, d.title, "en", 1, 0)
        for d in documents.values()
    }
    return IndexSnapshot(
        records=records,
        documents=documents,
        chunks=chunks,
        chunk_order=list(chunks),
        vectors=_MemoryVectors(chunk_vectors),  # type: ignore[arg-type]
        sentences=_MemoryVectors(sentences),  # type: ignore[arg-type]
        version="1",
    )


QUERY = np.array([1.0, 0.0, 0.0])


def test_a_chunk_scores_by_its_best_sentence_too():
    # One sentence of alpha answers the question; beta's sentences are only near it.
    snapshot = _snapshot({"alpha": (0.05, 1.4), "beta": (0.6, 0.7)})
    ranked = [p.chunk.source for p in retrieve(snapshot, "zzz?", QUERY, k=2)]
    assert ranked == ["alpha.txt", "beta.txt"]


def test_without_sentence_vectors_chunks_rank_alone():
    snapshot = _snapshot({})
    ranked = [p.chunk.source for p in retrieve(snapshot, "zzz?", QUERY, k=2)]
    assert ranked == ["beta.txt", "alpha.txt"]
