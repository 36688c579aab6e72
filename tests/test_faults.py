"""Disk full, read-only index folders and bad questions: a clear message, never a traceback."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from rag.cli import main
from rag.pipeline import Assistant
from rag.question import QuestionError
from rag.settings import Settings
from rag.store.errors import IndexProblem
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.faults


@pytest.fixture
def indexed(tmp_path: Path, embedder) -> Assistant:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / "seed.txt")
    assistant = Assistant(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=embedder
    )
    assistant.index()
    return assistant


def _snapshot_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "chroma" not in p.parts and p.name != ".lock"
    }


@pytest.mark.parametrize(
    ("code", "message"),
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "the file system is read-only")],
)
def test_failed_writes_are_one_line_and_the_index_is_untouched(
    indexed: Assistant, monkeypatch, code: int, message: str
):
    before = _snapshot_of(indexed.layout.root)
    question = "Qui est le PDG d'OpenAI cité dans l'article ?"
    expected = indexed.ask(question).text
    (indexed.settings.corpus_dir / "new.txt").write_text("Un nouveau texte sur les volcans.")

    def fail(path, data):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr("rag.store.documents.write_atomic", fail)
    monkeypatch.setattr("rag.store.manifest.write_atomic", fail)
    with pytest.raises(IndexProblem, match=message) as caught:
        indexed.index()
    assert "\n" not in str(caught.value) and str(indexed.layout.root) in str(caught.value)
    assert _snapshot_of(indexed.layout.root) == before
    assert Assistant(indexed.settings, embedder=indexed.embedder).ask(question).text == expected

    monkeypatch.undo()
    assert indexed.index().added == 1  # once there is room again, the run completes


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_index_folder_for_real(indexed: Assistant, capsys, monkeypatch):
    (indexed.settings.corpus_dir / "new.txt").write_text("Un nouveau texte sur les volcans.")
    monkeypatch.setenv("RAG_CORPUS_DIR", str(indexed.settings.corpus_dir))
    monkeypatch.setenv("RAG_INDEX_DIR", str(indexed.layout.root))
    before = _snapshot_of(indexed.layout.root)
    indexed.layout.root.chmod(0o555)
    try:
        assert main(["index"]) == 2
    finally:
        indexed.layout.root.chmod(0o755)
    assert "rag: " in capsys.readouterr().err
    assert _snapshot_of(indexed.layout.root) == before


@pytest.mark.parametrize(
    "question",
    ["", "   \n\t  ", "\x00\x01\x07\x1b\x7f", "?" * 200_000, "x" * 2001],
    ids=["empty", "whitespace", "control-only", "200k", "just-over-limit"],
)
def test_unusable_questions_get_a_clear_message(seed_assistant: Assistant, question: str):
    with pytest.raises(QuestionError) as caught:
        seed_assistant.ask(question)
    message = str(caught.value)
    assert "\n" not in message
    assert "empty" in message or "RAG_MAX_QUESTION_CHARS" in message


@pytest.mark.parametrize(
    "question",
    [
        "量子コンピュータの未来はどうなりますか？",
        "ما هي عاصمة المغرب؟",
        "Что такое фотосинтез?",
        "🙂🙂🙂 ?",
        "Who\x00 is\x1b[0m the CEO\u200b of OpenAI\x07?",
        "a",
    ],
    ids=["japanese", "arabic", "russian", "emoji", "control-chars", "one-letter"],
)
def test_other_questions_answer_or_decline_normally(seed_assistant: Assistant, question: str):
    answer = seed_assistant.ask(question)
    assert answer.text
    if answer.answerable:
        assert answer.citations


def test_limit_is_a_setting(seed_assistant: Assistant):
    roomy = Assistant(
        seed_assistant.settings.model_copy(update={"max_question_chars": 5000}),
        embedder=seed_assistant.embedder,
    )
    roomy._store = seed_assistant.store
    question = "Who is the CEO of OpenAI? " * 100  # 2,600 characters: over the default limit
    with pytest.raises(QuestionError):
        seed_assistant.ask(question)
    assert roomy.ask(question).text


def test_cli_question_errors_are_one_line(seed_assistant: Assistant, monkeypatch, capsys):
    monkeypatch.setenv("RAG_CORPUS_DIR", str(seed_assistant.settings.corpus_dir))
    monkeypatch.setenv("RAG_INDEX_DIR", str(seed_assistant.settings.index_dir))
    assert main(["ask", "   "]) == 2
    assert main(["ask", "x" * 200_000]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("rag: the question") for line in err)
