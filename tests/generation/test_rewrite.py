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
        # Pronouns and demonstratives that point back
        ("When did it happen?", HISTORY, True),
        ("What did they announce next?", HISTORY, True),
        ("Which company made these chips?", HISTORY, True),
        ("Qu'a-t-elle répondu à Washington ?", HISTORY, True),
        ("Quand cette décision a-t-elle été prise ?", HISTORY, True),
        ("Pourquoi ont-ils réagi ainsi ?", HISTORY, True),
        # Ellipsis and very short questions
        ("What about Nvidia?", HISTORY, True),
        ("Why?", HISTORY, True),
        ("Et en 2020 ?", HISTORY, True),
        ("Combien exactement ?", HISTORY, True),
        # Possessives point back only when the question names nothing itself
        ("What was his answer to the report?", HISTORY, True),
        ("Quelle est sa position sur ce sujet ?", HISTORY, True),
        ("What did Jensen Huang say about his company's chips?", HISTORY, False),
        ("Qu'a dit Lin Jian sur ses relations avec Washington ?", HISTORY, False),
        # Questions that stand alone: no rewrite, no model call
        ("Who said that China was not behind in AI chips?", HISTORY, False),
        ("Qui est le PDG de Nvidia ?", HISTORY, False),
        ("Ce que Huawei a annoncé en 2024, qui l'a rapporté ?", HISTORY, False),
        ("How many Ascend chips did Huawei ship last year?", HISTORY, False),
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


def test_a_question_that_stands_alone_costs_no_model_call() -> None:
    chat = ScriptedChat("should not be used")
    question = "Who is the CEO of Nvidia?"
    assert rewrite_question(question, HISTORY, "en", chat) == question
    assert chat.sent == []


def test_the_rewrite_prompt_is_short() -> None:
    long_answer = "word " * 400
    history = tuple(Turn(f"Question {i} about Huawei?", long_answer) for i in range(5))
    chat = ScriptedChat("When was the guidance published?")
    rewrite_question("and when was that?", history, "en", chat)
    content = chat.sent[0][-1]["content"]
    assert content.count("Q: ") == 3  # the last two exchanges and the question
    assert len(content) < 600
