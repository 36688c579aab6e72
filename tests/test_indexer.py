"""Incremental indexing: nothing re-embedded when unchanged; interruptions never half-serve."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rag.indexer import Indexer
from rag.pipeline import Assistant
from rag.settings import Settings
from rag.store.errors import IndexProblem
from tests.conftest import SEED_FILE


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "seed.txt")
    (folder / "chats.txt").write_text(
        "Les chats dorment seize heures par jour. Ils chassent surtout la nuit.\n", encoding="utf-8"
    )
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    return folder


@pytest.fixture
def assistant(corpus: Path, tmp_path: Path, embedder) -> Assistant:
    return Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=embedder)


def test_unchanged_corpus_embeds_nothing(assistant: Assistant):
    first = assistant.index()
    assert (first.documents, first.added) == (2, 2)
    assert first.passages_embedded == first.chunks > 0
    assert [s.source for s in first.skipped] == ["broken.pdf"]

    before = assistant.embedder.passages_embedded  # type: ignore[attr-defined]
    second = assistant.index()
    assert second.passages_embedded == 0
    assert assistant.embedder.passages_embedded == before  # type: ignore[attr-defined]
    assert (second.unchanged, second.added, second.updated, second.removed) == (2, 0, 0, 0)


def test_touched_file_with_same_bytes_is_not_reembedded(assistant: Assistant, corpus: Path):
    assistant.index()
    os.utime(corpus / "chats.txt", (1, 1))
    report = assistant.index()
    assert report.passages_embedded == 0 and report.unchanged == 2


def test_changed_file_replaced_and_deleted_file_removed(assistant: Assistant, corpus: Path):
    assistant.index()
    (corpus / "chats.txt").write_text(
        "Les chiens aboient quand le facteur arrive.\n", encoding="utf-8"
    )
    report = assistant.index()
    assert (report.updated, report.unchanged) == (1, 1)
    assert report.passages_embedded == 1
    texts = [
        p.chunk.text
        for p in assistant.retrieve("Que font les chiens quand le facteur arrive ?", k=10)
    ]
    assert any("chiens" in t for t in texts)
    assert not any("chats" in t for t in texts)
    assert assistant.vectors.count() == report.chunks  # the old version's vectors are gone

    (corpus / "chats.txt").unlink()
    report = assistant.index()
    assert (report.removed, report.documents) == (1, 1)
    assert assistant.vectors.count() == report.chunks


class _CrashAfter:
    """Wraps the real embedder and raises after ``calls`` successful calls, like a Ctrl-C."""

    def __init__(self, embedder, calls: int) -> None:
        self.embedder = embedder
        self.calls = calls

    def embed_passages(self, texts):
        if self.calls == 0:
            raise KeyboardInterrupt
        self.calls -= 1
        return self.embedder.embed_passages(texts)

    def embed_query(self, text):
        return self.embedder.embed_query(text)


def test_interrupted_run_serves_no_half_document_and_next_run_repairs(
    corpus: Path, tmp_path: Path, embedder
):
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", chunk_chars=100)
    Assistant(settings, embedder=embedder).index()
    # Replace the big document and add a new one, then crash in the middle of embedding.
    (corpus / "seed.txt").write_text(
        SEED_FILE.read_text(encoding="utf-8") + "\nAjout final.", encoding="utf-8"
    )
    (corpus / "new.txt").write_text(
        "Un nouveau document sur les volcans d'Islande. " * 30, encoding="utf-8"
    )
    crashing = Indexer(settings, _CrashAfter(embedder, calls=1), commit_every=5)
    with pytest.raises(KeyboardInterrupt):
        crashing.run()

    reader = Assistant(settings, embedder=embedder)
    snapshot = reader.snapshot()
    served = {p.chunk.doc_id for p in reader.retrieve("volcans d'Islande", k=50)}
    assert served <= set(snapshot.documents)  # only committed documents answer
    for document in snapshot.documents.values():
        record = snapshot.records[document.source]
        chunks = [c for c in snapshot.chunks.values() if c.doc_id == document.doc_id]
        assert len(chunks) == record.chunks  # every committed document is whole

    report = reader.index()
    assert report.documents == 3
    assert reader.vectors.count() == report.chunks
    assert any("Ajout final." in p.chunk.text for p in reader.retrieve("Ajout final", k=50))


def test_corrupted_manifest_is_a_clear_error(assistant: Assistant):
    assistant.index()
    assistant.layout.manifest.write_text("{not json")
    with pytest.raises(IndexProblem, match="rag index --rebuild"):
        Assistant(assistant.settings, embedder=assistant.embedder).snapshot()
    report = assistant.index(rebuild=True)
    assert report.documents == 2
