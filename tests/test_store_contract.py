"""One contract for the index store, run on embedded Chroma and on a real ``chroma run``."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.settings import Settings
from rag.store.base import IndexStore
from rag.store.errors import IndexProblem
from rag.store.manifest import DocumentRecord, Manifest
from rag.store.registry import open_index_store
from rag.types import Chunk, Document
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.server
_PREFIXES = itertools.count()


def _settings(tmp_path: Path, chroma_url: str | None) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / "seed.txt")
    base = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", chunk_chars=300)
    if chroma_url is None:
        return base
    return base.model_copy(
        update={"chroma_url": chroma_url, "chroma_prefix": f"t{next(_PREFIXES)}"}
    )


@pytest.fixture(params=["embedded", "server"])
def settings(request, tmp_path: Path) -> Settings:
    server = request.param == "server"
    return _settings(tmp_path, request.getfixturevalue("chroma_url") if server else None)


@pytest.fixture
def server_settings(tmp_path: Path, chroma_url: str) -> Settings:
    return _settings(tmp_path, chroma_url)


@pytest.fixture
def store(settings: Settings) -> IndexStore:
    return open_index_store(settings)


def _document(text: str, source: str = "a.txt") -> tuple[Document, list[Chunk]]:
    document = Document(source, text, f"hash-{text}", "Title", "en", ((0, len(text)),))
    return document, [Chunk(source, document.doc_id, 0, 0, len(text), text)]


def _unit(*values: float) -> np.ndarray:
    vector = np.zeros(8, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def test_vectors_add_search_delete_clear(store: IndexStore):
    (a, [ca]), (b, [cb]) = _document("alpha"), _document("beta", "b.txt")
    store.vectors.add([ca, cb], np.vstack([_unit(1, 0), _unit(0, 1)]))
    assert store.vectors.count() == 2
    assert store.vectors.doc_ids() == {a.doc_id, b.doc_id}
    hits = store.vectors.search(_unit(1, 0.1), 5)
    assert [cid for cid, _ in hits] == [ca.chunk_id, cb.chunk_id]
    assert hits[0][1] == pytest.approx(float(_unit(1, 0.1) @ _unit(1, 0)), abs=1e-4)
    store.vectors.delete_documents([a.doc_id])
    assert store.vectors.doc_ids() == {b.doc_id}
    store.vectors.clear()
    assert store.vectors.count() == 0 and store.vectors.search(_unit(1), 3) == []


def test_catalog_documents_round_trip_exactly(store: IndexStore):
    text = "Déjà vu — 東京 «quote» \u2028 tab\t end. " * 50
    document, chunks = _document(text)
    catalog = store.catalog
    assert not catalog.has_document(document.doc_id)
    catalog.save_document(document, chunks)
    assert catalog.has_document(document.doc_id)
    assert catalog.document_ids() == {document.doc_id}
    assert catalog.load_document(document.doc_id) == (document, chunks)
    catalog.delete_documents([document.doc_id])
    assert catalog.document_ids() == set()


def test_manifest_commits_bump_the_version(store: IndexStore):
    catalog = store.catalog
    assert not catalog.exists() and catalog.version() is None
    assert catalog.load_manifest(300).documents == {}
    record = DocumentRecord("a.txt", "id1", "c", "f", 3, 4, "T", "en", 1, 0.5)
    catalog.save_manifest(Manifest({"a.txt": record}, 300))
    first = catalog.version()
    assert catalog.exists() and first is not None
    assert catalog.load_manifest(300) == Manifest({"a.txt": record}, 300)
    catalog.save_manifest(Manifest({}, 300))
    assert catalog.version() not in (None, first)
    assert catalog.load_manifest(300).documents == {}
    catalog.clear()
    assert not catalog.exists()


def test_one_writer_at_a_time(settings: Settings, store: IndexStore):
    other = open_index_store(settings)  # a second process's view of the same index
    with (
        store.catalog.writer_lock(),
        pytest.raises(IndexProblem, match="already updating"),
        other.catalog.writer_lock(),
    ):
        pass
    with other.catalog.writer_lock():
        pass  # released on exit


def test_indexing_and_answers_work_the_same(settings: Settings, embedder):
    from rag.pipeline import Assistant

    assistant = Assistant(settings, embedder=embedder)
    report = assistant.index()
    assert report.documents == 1 and assistant.vectors.count() == report.chunks
    assert assistant.index().passages_embedded == 0  # incremental in both modes
    answer = assistant.ask("Qui est le PDG d'OpenAI cité dans l'article ?")
    assert answer.answerable and "Altman" in answer.text
    document = assistant.snapshot().document_by_source("seed.txt")
    assert document is not None
    for citation in answer.citations:
        assert document.text[citation.start : citation.end] == citation.quote


def _cli_env(settings: Settings) -> dict[str, str]:
    import os

    env = {**os.environ, "RAG_CORPUS_DIR": str(settings.corpus_dir)}
    env |= {"RAG_INDEX_DIR": str(settings.index_dir), "RAG_CHUNK_CHARS": str(settings.chunk_chars)}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    if settings.chroma_url:
        env |= {"RAG_CHROMA_URL": settings.chroma_url, "RAG_CHROMA_PREFIX": settings.chroma_prefix}
    return env


def test_reindexing_in_another_process_never_breaks_answers_mid_way(
    server_settings: Settings, embedder
):
    """Two app processes on one Chroma server: one re-indexes while the other keeps answering."""
    import subprocess
    import sys
    import time

    from rag.pipeline import Assistant

    settings = server_settings
    reader = Assistant(settings, embedder=embedder)
    reader.index()
    question = "Qui est le PDG d'OpenAI cité dans l'article ?"
    expected = reader.ask(question).text
    loaded = reader.snapshot()
    seed = settings.corpus_dir / "seed.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    for n in range(3):
        (settings.corpus_dir / f"extra{n}.txt").write_text(f"Note {n} sur les volcans. " * 40)

    writer = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "index"],
        env=_cli_env(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    answers = []
    while writer.poll() is None:
        answers.append(reader.ask(question))  # verifies every citation against its snapshot
        time.sleep(1.0)  # leave the writer some of this machine's CPU
    assert writer.returncode == 0, writer.stdout.read() if writer.stdout else ""
    answers.append(reader.ask(question))
    assert all(a.answerable and a.text == expected for a in answers)
    # A snapshot loaded before the commit still reads whole documents of its own version.
    passages, _, _ = reader.evidence(question, loaded)
    assert all(p.chunk.doc_id in loaded.documents for p in passages)
    assert reader.snapshot().version != loaded.version
    assert len(reader.snapshot().records) == 4
