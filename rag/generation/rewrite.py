"""Rewrites a follow-up question ("and when was that?") into one that stands alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from rag.generation.base import GenerationError, Turn
from rag.generation.prompt import Message

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
# Words that point back at something said earlier.
_BACK_REFERENCES = set(
    """it its that this those these he him his she her they them their such
    il elle ils elles lui leur leurs cela ça ce cet cette ces celui celle ceux là
    son sa ses""".split()
)
_OPENERS = re.compile(r"^\s*(?:and|also|what about|how about|et|aussi|puis|ensuite)\b", re.I)

_INSTRUCTIONS = {
    "en": (
        "Rewrite the user's last question so it can be understood without the conversation: "
        "replace pronouns and vague words with what they refer to. Reply with the rewritten "
        "question only, in English."
    ),
    "fr": (
        "Réécris la dernière question de l'utilisateur pour qu'elle se comprenne sans la "
        "conversation : remplace les pronoms et les mots vagues par ce qu'ils désignent. "
        "Réponds uniquement par la question réécrite, en français."
    ),
}


@runtime_checkable
class Chat(Protocol):
    """A generator that can also answer raw chat messages (the LLM ones)."""

    def chat(self, messages: list[Message], max_tokens: int | None = None) -> Iterator[str]: ...


def is_follow_up(question: str, history: tuple[Turn, ...]) -> bool:
    """A question that leans on the conversation: it opens with "and…" or points back."""
    if not history:
        return False
    words = [w.lower().replace("’", "'") for w in _WORD.findall(question)]
    words = [w.split("'")[-1] for w in words]  # "qu'il" → "il", "l'a" → "a"
    return bool(_OPENERS.match(question)) or any(w in _BACK_REFERENCES for w in words)


def rewrite_fallback(question: str, history: tuple[Turn, ...]) -> str:
    """Deterministic rewrite: the follow-up followed by the question it follows."""
    if not is_follow_up(question, history):
        return question
    return f"{question.strip()} ({history[-1].question.strip()})"


def rewrite_messages(question: str, history: tuple[Turn, ...], language: str) -> list[Message]:
    conversation = "\n".join(f"Q: {turn.question}\nA: {turn.answer[:300]}" for turn in history[-3:])
    return [
        {"role": "system", "content": _INSTRUCTIONS.get(language, _INSTRUCTIONS["en"])},
        {"role": "user", "content": f"{conversation}\nQ: {question}\n\nStandalone question:"},
    ]


def rewrite_question(
    question: str, history: tuple[Turn, ...], language: str, chat: Chat | None = None
) -> str:
    """The standalone form of ``question``; with an LLM when one is given and answers sanely."""
    if not is_follow_up(question, history):
        return question
    if chat is not None:
        try:
            text = "".join(chat.chat(rewrite_messages(question, history, language), 64))
        except GenerationError:
            text = ""
        line = text.strip().splitlines()[0] if text.strip() else ""
        line = re.sub(r"^(?:standalone question|question)\s*:\s*", "", line, flags=re.I)
        line = line.strip(" \"'«»")
        # A reply that is empty, rambles or merely repeats an earlier question is no rewrite.
        earlier = {turn.question.strip().lower() for turn in history}
        if 3 <= len(line) <= 3 * len(question) + 200 and line.lower() not in earlier:
            return line
    return rewrite_fallback(question, history)
