"""The chat tab's handler: streams an answer into the conversation and keeps the turns."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from rag.drafting import unexpected
from rag.generation.base import GenerationError
from rag.question import QuestionError
from rag.store.errors import IndexProblem
from rag.types import Answer, Status
from ui.render import answer_html, error_html, pending_html, quoted_html
from ui.services import Services

Messages = list[dict[str, Any]]
Turns = list[tuple[str, str]]
ChatUpdate = tuple[Messages, Turns, str]
USER_ERRORS = (QuestionError, GenerationError, IndexProblem)
# Each update re-renders the whole message, quote included: token by token, its citation links
# were replaced faster than a reader (or a browser test) could click them while the LLM wrote.
DRAFT_REFRESH_S = 1.0


def chat_handler(
    services: Services, on_answer: Callable[[str, Answer], None] | None = None
) -> Callable[..., Iterator[ChatUpdate]]:
    """``on_answer(question, answer)`` is called with each final answer just before it is
    shown (the history saves it there, so the last update can say where it was saved)."""

    def chat(
        message: str, history: Messages, turns: Turns, sources: list[str] | None = None
    ) -> Iterator[ChatUpdate]:
        message = (message or "").strip()
        history, turns = list(history or []), list(turns or [])
        if not message:
            yield history, turns, ""
            return
        history.append({"role": "user", "content": message})
        history.append({"role": "assistant", "content": pending_html()})
        yield history, turns, ""

        def show(content: str) -> ChatUpdate:
            history[-1] = {"role": "assistant", "content": content}
            return history, turns, ""

        partial = ""
        quoted: Answer | None = None  # the checked extractive answer, shown while the LLM writes
        answer: Answer | None = None
        shown_at = 0.0  # when the draft was last shown
        try:
            for piece in services.answer_stream(message, turns, list(sources or []) or None):
                if isinstance(piece, Answer) and piece.provisional:
                    quoted = piece
                    yield show(quoted_html(quoted))
                elif isinstance(piece, Answer):
                    answer = piece
                    break
                elif isinstance(piece, Status):  # the draft is written; the answer waits
                    yield show(quoted_html(quoted, partial, piece) if quoted else pending_html())
                else:
                    partial += piece
                    if time.monotonic() - shown_at >= DRAFT_REFRESH_S:
                        shown_at = time.monotonic()
                        yield show(
                            quoted_html(quoted, partial) if quoted else pending_html(partial)
                        )
        except USER_ERRORS as error:
            yield show(error_html(str(error)))
            return
        except Exception as error:
            # Never a bare "Error": the quote, if there is one, stays with a one-line warning.
            warning = unexpected(error, "answering")
            if quoted is None:
                yield show(error_html(f"{warning}; the server log has the details"))
                return
            answer = replace(quoted, provisional=False, warnings=(*quoted.warnings, warning))
        if answer is None:
            yield show(error_html("no answer was produced"))
            return
        if on_answer is not None:
            on_answer(message, answer)
        yield show(answer_html(answer))
        if answer.answerable:
            turns.append((message, answer.text))

    return chat
