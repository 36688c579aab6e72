"""The chat tab's handler: streams an answer into the conversation and keeps the turns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from rag.generation.base import GenerationError
from rag.pipeline import QuestionError
from rag.store.errors import IndexProblem
from rag.types import Answer
from ui.render import answer_html, error_html, pending_html
from ui.services import Services

Messages = list[dict[str, Any]]
Turns = list[tuple[str, str]]
ChatUpdate = tuple[Messages, Turns, str]

EXAMPLES = [
    "Qui est le PDG d'OpenAI cité dans l'article ?",
    "What did the US Commerce Department say about Huawei's Ascend AI chips?",
    "Quelle crainte plus profonde la décision de Washington souligne-t-elle ?",
    "Which company is given as an example of China's push for technological self-sufficiency?",
]


def chat_handler(services: Services) -> Callable[[str, Messages, Turns], Iterator[ChatUpdate]]:
    def chat(message: str, history: Messages, turns: Turns) -> Iterator[ChatUpdate]:
        message = (message or "").strip()
        history, turns = list(history or []), list(turns or [])
        if not message:
            yield history, turns, ""
            return
        history.append({"role": "user", "content": message})
        history.append({"role": "assistant", "content": pending_html()})
        yield history, turns, ""
        partial = ""
        answer: Answer | None = None
        try:
            for piece in services.answer_stream(message, turns):
                if isinstance(piece, Answer):
                    answer = piece
                    break
                partial += piece
                history[-1] = {"role": "assistant", "content": pending_html(partial)}
                yield history, turns, ""
        except (QuestionError, GenerationError, IndexProblem) as error:
            history[-1] = {"role": "assistant", "content": error_html(str(error))}
            yield history, turns, ""
            return
        if answer is None:
            history[-1] = {"role": "assistant", "content": error_html("no answer was produced")}
            yield history, turns, ""
            return
        history[-1] = {"role": "assistant", "content": answer_html(answer)}
        if answer.answerable:
            turns.append((message, answer.text))
        yield history, turns, ""

    return chat
