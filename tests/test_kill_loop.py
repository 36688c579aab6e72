"""SIGKILL ``rag index`` at random points: the index stays consistent and the next run completes."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.pipeline import Assistant
from rag.settings import Settings
from rag.standalone import stands_alone
from rag.store.registry import open_index_store
from rag.store.snapshot import IndexSnapshot
from rag.types import unit_id

pytestmark = pytest.mark.faults
TRIALS = 20
ROOT = Path(__file__).resolve().parent.parent
TOPICS = ["volcans", "baleines", "glaciers", "comètes", "forêts", "rivières", "déserts"]


def _write(corpus: Path, rng: random.Random, trial: int) -> None:
    """Change the corpus between runs so that every run has something to embed."""
    for _ in range(2):
        topic = rng.choice(TOPICS)
        sentences = [f"Essai {trial}, phrase {i} sur les {topic} du monde." for i in range(12)]
        (corpus / f"{topic}.txt").write_text(" ".join(sentences), encoding="utf-8")
    if trial % 5 == 4:
        victims = sorted(corpus.glob("*.txt"))
        if len(victims) > 2:
            rng.choice(victims).unlink()


def _indexing(lock: Path) -> bool:
    """Whether a writer holds the index lock, i.e. has finished starting up and is at work."""
    try:
        handle = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)  # closing drops our own lock at once
    return False


def _kill_while_indexing(process: subprocess.Popen, lock: Path, delay: float) -> bool:
    """SIGKILL ``delay`` seconds into the indexing phase; False if the run finished first."""
    while process.poll() is None and not _indexing(lock):
        time.sleep(0.02)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def _indexing_seconds(process: subprocess.Popen, lock: Path) -> float:
    """How long an uninterrupted run holds the index lock."""
    while process.poll() is None and not _indexing(lock):
        time.sleep(0.01)
    began = time.monotonic()
    process.wait(timeout=120)
    assert process.returncode == 0
    return max(time.monotonic() - began, 0.05)


def _fresh_view(settings: Settings):  # type: ignore[no-untyped-def]
    # Another process wrote the embedded Chroma: drop this process's cached client for it.
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    return open_index_store(settings)


def _assert_consistent(settings: Settings, embedder) -> None:
    store = _fresh_view(settings)
    if not store.exists():
        return  # killed before the first commit: nothing is served, nothing to check
    snapshot = IndexSnapshot.load(store, settings.chunk_chars)
    collection = store.vectors.collection  # type: ignore[attr-defined]
    for record in snapshot.records.values():
        ids = [f"{record.doc_id}:{i}" for i in range(record.chunks)]
        assert len(collection.get(ids=ids, include=[])["ids"]) == record.chunks
        assert sum(c.doc_id == record.doc_id for c in snapshot.chunks.values()) == record.chunks
        document = snapshot.documents[record.doc_id]
        alone = [
            unit_id(record.doc_id, n)
            for n, (s, e) in enumerate(document.sentences)
            if stands_alone(document.text[s:e])
        ]
        assert len(store.sentences.vectors(alone)) == len(alone)
    reader = Assistant(settings, embedder=embedder)
    reader._store = store
    for passage in reader.retrieve("Que sait-on des volcans et des glaciers ?", k=20):
        assert passage.chunk.chunk_id in snapshot.chunks  # never a half-indexed document
        text = snapshot.documents[passage.chunk.doc_id].text
        assert text[passage.chunk.start : passage.chunk.end] == passage.chunk.text


def test_sigkill_at_random_points(tmp_path: Path, embedder):
    rng = random.Random(7)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", chunk_chars=100)
    env = {**os.environ, "RAG_CORPUS_DIR": str(corpus), "RAG_INDEX_DIR": str(settings.index_dir)}
    env |= {"RAG_CHUNK_CHARS": "100", "RAG_EMBED_BATCH_SIZE": "4", "PYTHONPATH": str(ROOT)}
    env |= {"RAG_COMMIT_EVERY_CHUNKS": "4"}  # several commits per run, so kills land between
    command = [sys.executable, "-m", "rag.cli", "index"]
    started = time.monotonic()
    lock = settings.index_dir / ".lock"
    # Kill delays are drawn within the time one run's indexing phase takes on this machine,
    # measured first: a fixed window would miss every run on a fast, idle machine.
    _write(corpus, rng, -1)
    window = _indexing_seconds(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL), lock)
    killed = 0
    for trial in range(TRIALS):
        _write(corpus, rng, trial)
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        killed += _kill_while_indexing(process, lock, rng.uniform(0, 0.8 * window))
        _assert_consistent(settings, embedder)
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    _assert_consistent(settings, embedder)
    store = _fresh_view(settings)
    manifest = store.catalog.load_manifest(100)
    assert set(manifest.documents) == {p.name for p in corpus.glob("*.txt")}
    assert store.vectors.doc_ids() == manifest.doc_ids()  # leftovers repaired
    assert store.sentences.doc_ids() == manifest.doc_ids()
    assert store.catalog.document_ids() == manifest.doc_ids()
    assert killed >= TRIALS // 2  # most runs really were cut short
    print(f"{TRIALS} trials, {killed} killed mid-run, in {time.monotonic() - started:.0f} s")
