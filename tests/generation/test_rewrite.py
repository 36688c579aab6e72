"""Follow-up questions rewritten into standalone ones."""

from collections.abc import Iterator

import pytest

from rag.generation.base import GenerationError, Turn
from rag.generation.prompt import Message
from rag.generation.rewrite import is_follow_up, rewrite_fallback, rewrite_question

HISTORY = (Turn("What did the US Commerce Department say about Huawei's chips?", "..."),)


@pytest.mark.parametrize(
    ("question", "history", "follow_up"),
    [
        ("and when was that?", HISTORY, True),
        ("et qui l'a dit ?", HISTORY, True),
        ("What did he say?", HISTORY, True),
        ("Who is the CEO of Nvidia?", HISTORY, False),
        ("and when was that?", (), False),
        ("Quel journal a rapporté la nouvelle ?", HISTORY, False),
    ],
)
def test_is_follow_up(question: str, history: tuple[Turn, ...], follow_up: bool) -> None:
    assert is_follow_up(question, history) is follow_up


def test_fallback_appends_the_previous_question() -> None:
    assert rewrite_fallback("and when was that?", HISTORY) == (
        "and when was that? (What did the US Commerce Department say about Huawei's chips?)"
    )
    assert rewrite_fallback("Who is Lin Jian?", HISTORY) == "Who is Lin Jian?"


class ScriptedChat:
    """Replies with a fixed text and records the messages it was sent."""

    def __init__(self, reply: str | Exception) -> None:
        self.reply = reply
        self.sent: list[list[Message]] = []

    def chat(self, messages: list[Message], max_tokens: int | None = None) -> Iterator[str]:
        self.sent.append(messages)
        if isinstance(self.reply, Exception):
            raise self.reply
        yield self.reply


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            "When did the US Commerce Department publish its guidance?",
            "When did the US Commerce Department publish its guidance?",
        ),
        (
            'Standalone question: "When was the guidance published?"\nExtra',
            "When was the guidance published?",
        ),
        ("", rewrite_fallback("and when was that?", HISTORY)),
        (HISTORY[0].question, rewrite_fallback("and when was that?", HISTORY)),  # an echo
        (GenerationError("server down"), rewrite_fallback("and when was that?", HISTORY)),
    ],
)
def test_rewrite_with_llm(reply: str | Exception, expected: str) -> None:
    chat = ScriptedChat(reply)
    assert rewrite_question("and when was that?", HISTORY, "en", chat) == expected
    assert "Huawei" in chat.sent[0][-1]["content"]
