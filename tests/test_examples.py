"""Example questions come from the indexed documents, by rule, cached per index version."""

from __future__ import annotations

import shutil
from pathlib import Path

from rag.examples import ExampleQuestions, topic
from rag.pipeline import Assistant
from rag.settings import Settings
from tests.conftest import SEED_FILE

KERBRAT = (
    "The Kerbrat lighthouse keeper logbook.\n\n"
    "The lighthouse on Kerbrat Point was repainted teal and white in the spring of 1987. "
    "Its lamp was electrified two years later by Marie Le Goff.\n"
)


def test_the_topic_is_the_longest_name_inside_the_sentence() -> None:
    assert topic("Le PDG de Nvidia, Jensen Huang, a déclaré que la Chine …") == "Jensen Huang"
    assert topic("The cat sleeps sixteen hours a day.") is None
    assert topic("HUGE NEWS TODAY about cats.") is None  # a shouted headline is no name
    # A lone capitalised common noun keeps the complement that names it.
    assert topic("Publiée mardi par le Bureau de l’industrie et de la sécurité.") == (
        "Bureau de l’industrie"
    )
    assert topic("A statement from the Ministry of Commerce came later.") == "Ministry of Commerce"
    assert topic("Il a parlé avec Huawei hier.") == "Huawei"


def _questions(assistant: Assistant) -> list[str]:
    return ExampleQuestions(assistant.layout.root, assistant.sentence_store).get(
        assistant.snapshot()
    )


def test_examples_follow_the_documents_and_each_is_answered(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    assistant = Assistant(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=embedder
    )
    assistant.index()
    seed = _questions(assistant)
    assert len(seed) == 4 and all(q.startswith("Que dit le document sur ") for q in seed)
    assert "Que dit le document sur Jensen Huang ?" in seed
    for question in seed:  # a button that gets "the documents don't say" would mislead
        assert assistant.ask(question).answerable, question
    assert (assistant.layout.root / "examples.json").exists()
    assert _questions(assistant) == seed  # cached for this index version

    (corpus / SEED_FILE.name).unlink()
    (corpus / "kerbrat.txt").write_text(KERBRAT, encoding="utf-8")
    assistant.index()
    kerbrat = _questions(assistant)
    assert kerbrat and not set(kerbrat) & set(seed)
    assert any("Kerbrat Point" in q or "Marie Le Goff" in q for q in kerbrat)
    assert all(q.startswith("What does the document say about") for q in kerbrat)


def test_technical_prose_is_asked_about_its_commands_and_files() -> None:
    assert topic("Lancez dh_make dans le répertoire des sources.") == "dh_make"
    assert topic("Modifiez le fichier debian/rules puis relancez.") == "debian/rules"
    assert topic("It weighs 3.5 kg.") is None  # a number is no name
