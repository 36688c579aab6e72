"""The judge's French instruction ("answers_fr", for French questions in scripts/bench_llm_judge.py):
its prompt is French end to end and its yes/no words are single tokens of the bundled models'
tokenizer, "Oui" by its first token (the vocabulary only: no weights are loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.generation.judge import Judge, messages
from tests.llm_servers import llama_cpp_installed, small_model  # noqa: F401


@pytest.fixture(scope="module")
def vocabulary(small_model: Path, llama_cpp_installed: None) -> Judge:  # noqa: F811
    from llama_cpp import Llama

    return Judge(Llama(model_path=str(small_model), vocab_only=True, verbose=False))


def test_the_french_instruction_asks_in_french() -> None:
    system, user = messages("answers_fr", "Qui a construit le château ?", "Robert Ier l'a bâti.")
    assert "oui ou par non" in system["content"]
    assert user["content"].endswith("Réponds par oui ou par non.")
    # The English instructions are as they were (another judge reads "states").
    assert messages("states", "x", "y")[0]["content"] == "You answer yes or no."


def test_oui_and_non_are_scored_apart_from_each_other(vocabulary: Judge) -> None:
    yes, no = vocabulary._words["answers_fr"]
    tokenize = vocabulary.llm.tokenize
    assert tokenize(b"Oui", add_bos=False, special=False)[0] in yes
    for word in (b"oui", b"non", b"Non", b"yes", b"No"):
        (token,) = tokenize(word, add_bos=False, special=False)
        assert token in (yes if word in (b"oui", b"yes") else no)
    assert not set(yes) & set(no)
    # The English asks keep their own words.
    assert vocabulary.yes == sorted(set(vocabulary.yes)) and not set(vocabulary.yes) & set(no)
