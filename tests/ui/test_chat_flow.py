"""The chat handler's updates, step by step, with a scripted LLM: what the page is sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rag.generation import llm_check
from rag.generation.judge import Judgement
from rag.types import Answer
from tests.generation.test_answer_first import QUESTION, BuggyGenerator, jensen
from tests.generation.test_pipeline_llm import ScriptedGenerator, assistant_with
from ui.chat import chat_handler
from ui.render import QUOTED_LABEL
from ui.services import Services


def replies(services: Services, question: str = QUESTION) -> list[str]:
    """The assistant message's HTML after each update the handler yields."""
    return [history[-1]["content"] for history, _, _ in chat_handler(services)(question, [], [])]


def test_the_quote_is_shown_then_replaced_by_the_verified_answer(seed_assistant) -> None:
    shown = replies(Services(assistant_with(seed_assistant, ScriptedGenerator(jensen))))
    quoted = [i for i, html in enumerate(shown) if QUOTED_LABEL in html]
    assert quoted and quoted[0] == 1  # right after "Searching the documents…"
    assert "rag-provisional" in shown[quoted[0]] and 'class="rag-cite"' in shown[quoted[0]]
    # While the model writes, the quote stays on screen above its draft.
    assert any("rag-streaming" in html and QUOTED_LABEL in html for html in shown)
    final = shown[-1]
    assert QUOTED_LABEL not in final and "rag-provisional" not in final
    assert "Jensen Huang" in final and "scripted" in final


def test_a_buggy_llm_leaves_the_quote_and_one_warning(seed_assistant) -> None:
    shown = replies(Services(assistant_with(seed_assistant, BuggyGenerator(jensen))))
    final = shown[-1]
    assert "rag-error" not in final and "Jensen Huang" in final
    assert final.count('class="rag-warning"') == 1 and "ZeroDivisionError" in final


class BrokenServices(Services):
    """A failure outside the LLM (a bug in retrieval, say), before or after the quote."""

    def __init__(self, assistant, after_quote: bool) -> None:  # type: ignore[no-untyped-def]
        super().__init__(assistant)
        self.after_quote = after_quote

    def answer_stream(
        self, question: str, turns: list[tuple[str, str]], sources: list[str] | None = None
    ) -> Iterator[str | Answer]:
        if self.after_quote:
            yield next(iter(super().answer_stream(question, turns, sources)))
        raise KeyError("chunk 17")


def test_an_unexpected_error_is_one_line_never_a_bare_error(seed_assistant) -> None:
    assistant = assistant_with(seed_assistant, ScriptedGenerator(jensen))
    before = replies(BrokenServices(assistant, after_quote=False))[-1]
    assert 'class="rag-error"' in before and "KeyError" in before and "server log" in before
    after = replies(BrokenServices(assistant, after_quote=True))[-1]
    assert "rag-error" not in after and "Jensen Huang" in after and "KeyError" in after


class CheckedGenerator(ScriptedGenerator):
    """The scripted LLM as the bundled 1.5B in-process: the model the check re-reads with."""

    path = Path("/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")

    def model(self) -> object:
        return self


class Agrees:
    llm = None

    def judge(self, ask: str, text: str, passage: str) -> Judgement:
        return Judgement(0.99, 0.0, 0)


def test_while_the_model_rereads_its_answer_the_page_says_so(seed_assistant, monkeypatch) -> None:
    monkeypatch.setattr(llm_check, "judge_of", lambda generator: Agrees())
    shown = replies(Services(assistant_with(seed_assistant, CheckedGenerator(jensen))))
    checking = [html for html in shown if llm_check.CHECKING in html]
    # The draft is written, the quote still above it, and a line says what the answer waits for.
    assert len(checking) == 1 and QUOTED_LABEL in checking[0] and "rag-streaming" in checking[0]
    assert llm_check.CHECKING not in shown[-1] and "Jensen Huang" in shown[-1]
