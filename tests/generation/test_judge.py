"""The bundled 0.5B as a yes/no judge: scores read from the model's own logits, prefix reused.

Real model, real llama.cpp; the assertions compare judgements with each other, not with a
fixed probability, so they hold whatever the model's calibration."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.generation.judge import Judge
from tests.llm_servers import llama_cpp_installed, small_model  # noqa: F401

PASSAGE = "The castle of Vitré was built in the 11th century by Baron Robert I."


@pytest.fixture(scope="module")
def judge(small_model: Path, llama_cpp_installed: None) -> Judge:  # noqa: F811
    from rag.generation.llamacpp import _load

    return Judge(_load(str(small_model), 1024, 1))


def test_a_statement_the_passage_makes_scores_above_its_negation(judge: Judge) -> None:
    said = judge.judge("states", "The castle of Vitré was built in the 11th century.", PASSAGE)
    denied = judge.judge("states", "The castle of Vitré was built in the 19th century.", PASSAGE)
    # The judge of before read a row of zeros and gave 0.5 to everything.
    assert said.p_yes != 0.5 and denied.p_yes != 0.5
    assert said.p_yes > denied.p_yes + 0.1, (said, denied)


def test_the_question_a_passage_answers_scores_above_one_it_does_not(judge: Judge) -> None:
    answered = judge.judge("answers", "When was the castle of Vitré built?", PASSAGE)
    other = judge.judge("answers", "How many visitors does the castle of Vitré get?", PASSAGE)
    # The 0.5B separates these by ~0.06 only (BENCHMARKS.md, Answerability): the order is the test.
    assert answered.p_yes > other.p_yes, (answered, other)


def test_the_instructions_are_read_once(judge: Judge) -> None:
    first = judge.judge("states", "Robert I built it.", PASSAGE)
    again = judge.judge("states", "Robert II built it.", PASSAGE)
    total = len(judge.prompt_tokens("states", "Robert II built it.", PASSAGE))
    # Only what follows the shared prefix (system line, passage) is read again.
    assert first.fresh_tokens <= total and again.fresh_tokens < total / 2, (first, again, total)
