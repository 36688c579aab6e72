"""Rewrites a follow-up question ("and when was that?") into one that stands alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from rag.generation.base import GenerationError, Turn
from rag.generation.prompt import Message

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
# Pronouns that stand for something said earlier. Not "that" or "ce" (relative pronoun,
# "ce que"), nor "son/sa/ses/its/his/her/their" alone: "Nvidia's CEO and his company" is
# self-contained; those count only when nothing in the question can be what they refer to.
_PRONOUNS = set(
    "it he him she they them il elle ils elles lui leur eux ça cela celui celle ceux".split()
)
_POSSESSIVES = set("its his her their son sa ses leur leurs".split())
# Demonstratives pointing back ("this company", "ces chiffres").
_DEMONSTRATIVES = set("this these those such cet cette ces là".split())
_OPENERS = re.compile(
    r"^\s*(?:and|also|what about|how about|then|why not|et|aussi|puis|ensuite|pourquoi pas|"
    r"et pour|et en|et à|et si)\b",
    re.I,
)
# Words a question begins with; capitalised elsewhere, a word is taken for a name.
_QUESTION_WORDS = set(
    """what who whom whose when where why how which is are was were do does did can could
    quel quelle quels quelles qui que quoi quand où pourquoi comment combien est""".split()
)
SHORT_WORDS = 3  # "Why?", "And in 2020?", "Combien ?": too short to stand alone


def _words(question: str) -> list[str]:
    words = [w.replace("’", "'") for w in _WORD.findall(question)]
    return [w.split("'")[-1] for w in words]  # "qu'il" → "il", "l'a" → "a"


def _names(words: list[str]) -> bool:
    """The question names something itself: a capitalised word that is not its first word."""
    return any(w[:1].isupper() and w.lower() not in _QUESTION_WORDS for w in words[1:])


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
    """A question that leans on the conversation, decided by rule (no model call).

    Follow-ups open with "and…"/"what about…", are a few words long, or point back with a
    pronoun or demonstrative; a possessive points back only when the question names nothing.
    """
    if not history:
        return False
    words = _words(question)
    lowered = [w.lower() for w in words]
    if bool(_OPENERS.match(question)) or len(words) <= SHORT_WORDS:
        return True
    if any(w in _PRONOUNS or w in _DEMONSTRATIVES for w in lowered):
        return True
    return any(w in _POSSESSIVES for w in lowered) and not _names(words)


def rewrite_fallback(question: str, history: tuple[Turn, ...]) -> str:
    """Deterministic rewrite: the follow-up followed by the question it follows."""
    if not is_follow_up(question, history):
        return question
    return f"{question.strip()} ({history[-1].question.strip()})"


REWRITE_TOKENS = 48  # a rewritten question is one line


def rewrite_messages(question: str, history: tuple[Turn, ...], language: str) -> list[Message]:
    """A short prompt: the last two exchanges, answers cut to their first 150 characters."""
    conversation = "\n".join(f"Q: {turn.question}\nA: {turn.answer[:150]}" for turn in history[-2:])
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
            messages = rewrite_messages(question, history, language)
            text = "".join(chat.chat(messages, REWRITE_TOKENS))
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
