"""The corpus is written out byte-exact, and its folder name follows its content."""

from __future__ import annotations

from pathlib import Path

from rag.eval.records import EvalDataset, EvalDocument
from rag.eval.workspace import corpus_hash, index_dir, write_corpus


def _dataset(text: str) -> EvalDataset:
    documents = (
        EvalDocument("a/one.txt", text),
        EvalDocument("two.txt", "Deux\u00a0« guillemets »\n"),
    )
    return EvalDataset("toy", documents, ())


def test_write_corpus_keeps_text_exact(tmp_path: Path) -> None:
    dataset = _dataset("line one\r\nline two\n")
    folder = write_corpus(dataset, tmp_path)
    for doc in dataset.documents:
        assert (folder / doc.source).read_bytes().decode("utf-8") == doc.text
    assert write_corpus(dataset, tmp_path) == folder


def test_changed_content_gets_a_new_folder_and_index(tmp_path: Path) -> None:
    first, second = _dataset("version 1"), _dataset("version 2")
    assert corpus_hash(first) != corpus_hash(second)
    assert write_corpus(first, tmp_path) != write_corpus(second, tmp_path)
    settings = {"chunk_chars": 700}
    assert index_dir(first, settings, tmp_path) != index_dir(second, settings, tmp_path)
    assert index_dir(first, settings, tmp_path) != index_dir(first, {"chunk_chars": 500}, tmp_path)
