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


def test_long_document_is_searchable_while_indexed_and_resumes_after_a_crash(
    tmp_path: Path, embedder
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    topics = ["volcans", "baleines", "glaciers", "comètes", "forêts", "rivières"]
    paragraphs = [
        f"Chapitre {n} : les {topic} sont étudiés depuis longtemps par les chercheurs. "
        f"Ce chapitre décrit les {topic} observés pendant l'expédition numéro {n}."
        for n, topic in enumerate(topics * 3)
    ]
    (corpus / "livre.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", chunk_chars=150)
    # One embedder call a commit (the sentences; chunk vectors are pooled from them): die
    # during the third commit.
    with pytest.raises(KeyboardInterrupt):
        Indexer(settings, _CrashAfter(embedder, calls=2), commit_every=4).run()

    reader = Assistant(settings, embedder=embedder)
    snapshot = reader.snapshot()
    record = snapshot.records["livre.txt"]
    assert (record.chunks, record.pending_chunks) == (8, len(paragraphs) - 8)
    document = snapshot.documents[record.doc_id]
    assert len(snapshot.chunks) == 8  # only the committed part answers
    end = max(chunk.end for chunk in snapshot.chunks.values())
    assert all(e <= end for _, e in document.sentences)
    hits = reader.retrieve("expédition numéro 1 baleines", k=3)
    assert "expédition numéro 1." in hits[0].chunk.text
    assert all(p.chunk.chunk_id in snapshot.chunks for p in reader.retrieve("comètes", k=50))

    # The next run embeds only what was not committed, and the document is whole.
    before = embedder.passages_embedded
    report = reader.index()
    assert report.passages_embedded == len(paragraphs) - 8
    assert report.updated == report.added == 0  # the same version, resumed
    # Each chunk here is one paragraph of two sentences, each embedded once (the chunk's
    # vector is their mean): nothing of the first part again.
    assert embedder.passages_embedded - before == 2 * (len(paragraphs) - 8)
    whole = reader.snapshot().records["livre.txt"]
    assert (whole.chunks, whole.pending_chunks) == (len(paragraphs), 0)
    assert reader.vectors.count() == len(paragraphs)
    assert (
        "expédition numéro 16."
        in reader.retrieve("expédition numéro 16 rivières", k=1)[0].chunk.text
    )


def test_too_long_document_is_skipped_with_its_size(tmp_path: Path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "long.txt").write_text("Une phrase assez longue pour compter. " * 100, "utf-8")
    (corpus / "short.txt").write_text("Une phrase courte.", "utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", max_document_chars=1000)
    report = Indexer(settings, embedder).run()
    assert report.documents == 1
    assert [s.source for s in report.skipped] == ["long.txt"]
    assert "3,800 characters > 1,000" in report.skipped[0].reason
    assert "RAG_MAX_DOCUMENT_CHARS" in report.skipped[0].reason
    # The default admits a 1,000-page book (about 3 million characters).
    assert Settings().max_document_chars >= 3_000_000
