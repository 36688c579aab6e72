"""The pipeline with an LLM generator: verification, fallback, language repair, follow-ups.

A scripted generator (writes what each test dictates, records what it was asked) stands in
for the model; retrieval, evidence, embeddings and the index are the real ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from rag.generation.base import GenerationError, GenerationRequest, Turn
from rag.generation.prompt import Message
from rag.pipeline import Assistant
from rag.types import Answer

Script = Callable[[GenerationRequest], str]


class ScriptedGenerator:
    """An LLM stand-in: answers by a script, in small streamed pieces, and logs requests."""

    name = "scripted"

    def __init__(self, script: Script, rewrite: str = "") -> None:
        self.script = script
        self.rewrite = rewrite
        self.requests: list[GenerationRequest] = []

    def generate(self, request: GenerationRequest) -> Iterator[str]:
        self.requests.append(request)
        text = self.script(request)
        for i in range(0, len(text), 7):
            yield text[i : i + 7]

    def chat(self, messages: list[Message], max_tokens: int | None = None) -> Iterator[str]:
        yield self.rewrite


class FailingGenerator(ScriptedGenerator):
    def generate(self, request: GenerationRequest) -> Iterator[str]:
        raise GenerationError("cannot reach LLM server http://127.0.0.1:9/v1: connection failed")


def number_of(request: GenerationRequest, needle: str) -> int:
    """The [n] of the first passage containing ``needle``."""
    return next(i for i, p in enumerate(request.passages, 1) if needle in p.chunk.text)


def assistant_with(seed_assistant: Assistant, generator: ScriptedGenerator, **settings: object):  # type: ignore[no-untyped-def]
    assistant = Assistant(
        seed_assistant.settings.model_copy(update=settings), embedder=seed_assistant.embedder
    )
    assistant.drafter._generator = generator
    return assistant


def check_verbatim(assistant: Assistant, answer) -> None:  # type: ignore[no-untyped-def]
    snapshot = assistant.snapshot()
    for citation in answer.citations:
        document = snapshot.document_by_source(citation.source)
        assert document.text[citation.start : citation.end] == citation.quote


def test_supported_answer_is_kept_and_streamed(seed_assistant: Assistant) -> None:
    generator = ScriptedGenerator(
        lambda r: f"The CEO of Nvidia is Jensen Huang [{number_of(r, 'Jensen Huang')}]."
    )
    assistant = assistant_with(seed_assistant, generator)
    pieces: list[str] = []
    answer = assistant.ask(
        "Who is the CEO of Nvidia mentioned in the article?", on_token=pieces.append
    )
    assert len(pieces) > 1
    assert answer.generator == "scripted"
    assert answer.text == "The CEO of Nvidia is Jensen Huang [1]."
    assert [s.supported for s in answer.sentences] == [True]
    assert "Jensen Huang" in answer.citations[0].quote
    assert answer.to_json()["sentences"][0]["supported"] is True
    check_verbatim(assistant, answer)


def test_huawei_nvidia_confusion_is_flagged(seed_assistant: Assistant) -> None:
    def script(r: GenerationRequest) -> str:
        n = number_of(r, "Jensen Huang")
        return f"The CEO of Huawei is Jensen Huang [{n}]. Jensen Huang is the CEO of Nvidia [{n}]."

    assistant = assistant_with(seed_assistant, ScriptedGenerator(script))
    answer = assistant.ask("Who is the CEO of Nvidia mentioned in the article?")
    assert [s.supported for s in answer.sentences] == [False, True]
    assert any("not supported" in w for w in answer.warnings)
    check_verbatim(assistant, answer)


def test_nothing_supported_falls_back_to_extractive(seed_assistant: Assistant) -> None:
    generator = ScriptedGenerator(lambda r: "Huawei sold 2 million Ascend chips in 2024 [1].")
    assistant = assistant_with(seed_assistant, generator)
    answer = assistant.ask("Who is the CEO of Nvidia mentioned in the article?")
    assert answer.generator == "extractive"
    assert "Jensen Huang" in answer.text
    assert answer.warnings == ()  # a quote in place of the dropped draft is no fault
    check_verbatim(assistant, answer)


def test_llm_failure_falls_back_with_a_warning(seed_assistant: Assistant) -> None:
    assistant = assistant_with(seed_assistant, FailingGenerator(lambda r: ""))
    answer = assistant.ask("Who is the CEO of Nvidia mentioned in the article?")
    assert answer.generator == "extractive" and answer.answerable
    assert answer.warnings[0].startswith("cannot reach LLM server http://127.0.0.1:9/v1")


def test_llm_failure_is_an_error_when_fallback_is_never(seed_assistant: Assistant) -> None:
    assistant = assistant_with(seed_assistant, FailingGenerator(lambda r: ""), llm_fallback="never")
    with pytest.raises(GenerationError, match="cannot reach"):
        assistant.ask("Who is the CEO of Nvidia mentioned in the article?")


def test_model_decline_is_a_decline(seed_assistant: Assistant) -> None:
    generator = ScriptedGenerator(lambda r: "The documents do not answer this question.")
    answer = assistant_with(seed_assistant, generator).ask(
        "Who is the CEO of Nvidia mentioned in the article?"
    )
    assert not answer.answerable and not answer.citations


def test_wrong_language_is_repaired_once(seed_assistant: Assistant) -> None:
    def script(r: GenerationRequest) -> str:
        n = number_of(r, "Sam Altman")
        if r.draft is None:
            return f"The CEO of OpenAI is Sam Altman [{n}]."
        return f"Le PDG d'OpenAI est Sam Altman [{n}]."

    generator = ScriptedGenerator(script)
    answer = assistant_with(seed_assistant, generator).ask(
        "Qui est le PDG d'OpenAI cité dans l'article ?"
    )
    assert [r.draft for r in generator.requests][1] == generator.script(generator.requests[0])
    assert answer.text.startswith("Le PDG d'OpenAI est Sam Altman")
    assert answer.sentences[0].supported
    assert 0 < answer.timings_ms["repair"] <= answer.timings_ms["llm"]  # the repair is timed


def test_follow_up_is_rewritten_before_retrieval(seed_assistant: Assistant) -> None:
    standalone = (
        "Quel jour de la semaine la déclaration du Bureau de l'industrie et de la sécurité "
        "a-t-elle été publiée ?"
    )
    generator = ScriptedGenerator(
        lambda r: f"Elle a été publiée mardi [{number_of(r, 'publiée mardi')}].", rewrite=standalone
    )
    history = (Turn("Que dit le ministère américain du Commerce sur les puces de Huawei ?", "…"),)
    answer = assistant_with(seed_assistant, generator).ask(
        "et quand a-t-elle été publiée ?", history
    )
    assert answer.standalone_question == standalone
    assert answer.to_json()["standalone_question"] == standalone
    assert generator.requests[0].question == standalone
    assert answer.sentences[0].supported


def test_ask_stream_yields_the_draft_then_the_verified_answer(seed_assistant: Assistant) -> None:
    generator = ScriptedGenerator(
        lambda r: f"The CEO of Nvidia is Jensen Huang [{number_of(r, 'Jensen Huang')}]."
    )
    items = list(
        assistant_with(seed_assistant, generator).ask_stream(
            "Who is the CEO of Nvidia mentioned in the article?"
        )
    )
    quoted, *pieces, answer = items
    assert isinstance(quoted, Answer) and quoted.provisional and quoted.generator == "extractive"
    assert all(isinstance(p, str) for p in pieces) and len(pieces) > 1
    assert isinstance(answer, Answer) and answer.sentences[0].supported
    assert not answer.provisional and answer.extractive is not None
