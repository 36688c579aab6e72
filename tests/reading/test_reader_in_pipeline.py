"""The reader step of the question's path on the seed: its choice replaces the quote shown
first, is what the writer starts from and the quote kept when the draft is dropped; when it
reads that no unit answers, the question is declined. The judge's P(yes) is scripted by unit
text (the model's own is measured in scripts/reader_probe.py); retrieval, units, ranking,
quoting and citation checks are the real ones."""

from __future__ import annotations

import pytest

from rag.generation import llm_check
from rag.generation.base import Evidence
from rag.generation.judge import Judgement
from rag.pipeline import Assistant
from rag.reading.llm import LlmReader, choose
from rag.reading.units import Unit
from rag.types import Answer
from tests.generation.test_pipeline_llm import ScriptedGenerator, assistant_with, check_verbatim

QUESTION = "Who is the CEO of Nvidia mentioned in the article?"
FRENCH_QUESTION = "Qui est le PDG de Nvidia cité dans l'article ?"  # the seed's language


class ScriptedJudge:
    """P(yes) for a unit by whether it holds ``needle``; records what it read."""

    llm = None

    def __init__(self, needle: str | None) -> None:
        self.needle = needle
        self.read: list[str] = []

    def judge(self, ask: str, text: str, passage: str) -> Judgement:
        assert ask == "reads"
        self.read.append(passage)
        yes = self.needle is not None and self.needle in passage
        return Judgement(0.95 if yes else 0.05, 0.0, 10)


class ModelGenerator(ScriptedGenerator):
    """A scripted writer on an "in-process model": what makes the reader read."""

    def model(self) -> object:
        return self


def _ask(seed_assistant: Assistant, judge: ScriptedJudge, monkeypatch, script, question=QUESTION):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(llm_check, "judge_of", lambda generator: judge)
    generator = ModelGenerator(script)
    assistant = assistant_with(seed_assistant, generator, llm_check="off", reader="llm")
    shown: list[Answer] = []
    final = assistant.ask(question, on_quoted=shown.append)
    return assistant, generator, shown, final


def test_the_readers_choice_replaces_the_first_quote_and_leads_the_writer(
    seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = seed_assistant.ask(QUESTION)  # the quote chosen by similarity alone
    looked = ScriptedJudge(None)
    _ask(seed_assistant, looked, monkeypatch, lambda request: "")
    # The end of a unit the reader reads that is not the first quote: the judge's "yes".
    needle = next(p[-40:] for p in looked.read if p[-40:] not in first.citations[0].quote)
    judge = ScriptedJudge(needle)
    assistant, generator, shown, final = _ask(
        seed_assistant, judge, monkeypatch, lambda request: "Nothing the passages say [1]."
    )
    assert judge.read and any(needle in p for p in judge.read)
    # Shown first the similarity quote, then the reader's choice in its place.
    assert len(shown) == 2 and shown[0].citations[0].quote == first.citations[0].quote
    assert needle in shown[1].citations[0].quote
    # The writer's request leads with the chosen unit; its draft is unsupported, so the
    # reader's quote is the answer, with no warning about it.
    request = generator.requests[-1]
    assert request.chosen and needle in request.chosen[0].text
    assert request.evidence[0] == request.chosen[0] or needle in request.evidence[0].text
    assert final.generator == "extractive" and needle in final.citations[0].quote
    assert final.warnings == () and "read" in final.timings_ms
    check_verbatim(assistant, final)


def test_when_the_reader_finds_no_unit_that_answers_the_question_is_declined(
    seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    judge = ScriptedJudge(None)
    _, generator, shown, final = _ask(
        seed_assistant, judge, monkeypatch, lambda request: "Jensen Huang [1].", FRENCH_QUESTION
    )
    assert len(shown) == 1  # the quick quote was on screen while the reader read
    assert not generator.requests  # nothing written from passages that do not answer
    assert not final.answerable and final.citations == ()
    assert final.decline is not None and final.decline.read == len(judge.read) > 0


def _unit(text: str) -> Unit:
    return Unit((Evidence(1, "doc.txt", 0, len(text), text, 0.8),), "")


def test_across_languages_the_reader_picks_but_does_not_decline(
    seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An English question over the French seed: the 1.5B's "no" across languages is not
    # measured as a decline, so the quote stands.
    _, _, _, final = _ask(
        seed_assistant, ScriptedJudge(None), monkeypatch, lambda r: "Nothing the passages say [1]."
    )
    assert final.answerable and final.citations


def test_choose_takes_the_most_likely_unit_or_none_below_the_threshold() -> None:
    assert choose([0.2, 0.9, 0.6], none_below=0.5) == (1, 0.9)
    assert choose([0.2, 0.3, 0.4], none_below=0.5) == (None, 0.4)
    assert choose([0.7, 0.7], none_below=0.5) == (0, 0.7)  # a tie: the unit ranked first
    assert choose([], none_below=0.5) == (None, 0.0)


def test_the_reader_reads_only_its_candidates() -> None:
    judge = ScriptedJudge("b")
    reader = LlmReader(judge, candidates=2)  # type: ignore[arg-type]
    units = [_unit("a"), _unit("b"), _unit("c")]
    reading = reader.read("q", units)
    assert len(judge.read) == 2 and reading.read == 2


def test_auto_reads_with_the_measured_model_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from rag.reading.registry import create_reader
    from rag.settings import Settings

    monkeypatch.setattr(llm_check, "judge_of", lambda generator: ScriptedJudge(None))
    generator = ModelGenerator(lambda request: "")
    generator.path = Path("/m/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")  # type: ignore[attr-defined]
    assert isinstance(create_reader(Settings(), generator), LlmReader)
    generator.path = Path("/m/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")  # type: ignore[attr-defined]
    assert create_reader(Settings(), generator) is None  # its P(yes) was never measured
    assert isinstance(create_reader(Settings(reader="llm"), generator), LlmReader)
    assert create_reader(Settings(reader="extractive"), generator) is None
