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


def test_real_files_are_copied_and_keyed_by_extracted_text(tmp_path: Path) -> None:
    from dataclasses import replace

    source = tmp_path / "files" / "page.html"
    source.parent.mkdir()
    source.write_bytes(b"<html><body><p>Un <b>paquet</b>.</p></body></html>")
    files = EvalDataset(
        "toy", (EvalDocument("page.html", "Un paquet."),), (), files_dir=source.parent
    )
    folder = write_corpus(files, tmp_path / "cache")
    assert (folder / "page.html").read_bytes() == source.read_bytes()  # the reader runs on it
    # the readers' code is part of the key: same text, other reader output possible
    assert corpus_hash(files) != corpus_hash(replace(files, files_dir=None))
    assert corpus_hash(files) != corpus_hash(
        replace(files, documents=(EvalDocument("page.html", "Un paquet !"),))
    )
