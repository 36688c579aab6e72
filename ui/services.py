"""What the page asks of the library: answers, quotes, briefings and health, as plain data.

A thin adapter: features that the ``rag`` library does not have yet (find, brief, streamed
answers) report themselves unavailable instead of failing, so the page can say so.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rag.generation.base import Turn
from rag.pipeline import Assistant
from rag.types import Answer

NOT_AVAILABLE = "not available yet in this version of the library"
HISTORY_TURNS = 3  # earlier exchanges given to a follow-up question


class Unavailable(RuntimeError):
    """A feature the library behind the page does not offer."""


@dataclass(frozen=True)
class Health:
    generator: str
    llm: str | None  # None: no LLM configured
    store: str
    documents: int
    chunks: int


def _as_json(result: Any) -> Any:
    if hasattr(result, "to_json"):
        return result.to_json()
    if isinstance(result, list | tuple):
        return [_as_json(item) for item in result]
    return result


class Services:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    # -- chat ------------------------------------------------------------------------------

    def answer_stream(self, question: str, turns: list[tuple[str, str]]) -> Iterator[str | Answer]:
        """Text pieces as they are written (when the library streams), then the final Answer."""
        history = tuple(Turn(q, a) for q, a in turns[-HISTORY_TURNS:])
        stream = getattr(self.assistant, "ask_stream", None)
        if stream is None:
            yield self.assistant.ask(question, history=history)
            return
        yield from stream(question, history=history)

    def ask(self, question: str) -> dict[str, Any]:
        return self.assistant.ask(question).to_json()

    # -- find and brief --------------------------------------------------------------------

    @property
    def can_find(self) -> bool:
        return callable(getattr(self.assistant, "find", None))

    @property
    def can_brief(self) -> bool:
        return callable(getattr(self.assistant, "brief", None))

    def find(self, text: str) -> dict[str, Any]:
        if not self.can_find:
            raise Unavailable(f"finding quotes is {NOT_AVAILABLE}")
        result = _as_json(getattr(self.assistant, "find")(text))  # noqa: B009
        return result if isinstance(result, dict) else {"query": text, "matches": result}

    def brief(self, source: str | None, bullets: int) -> dict[str, Any]:
        if not self.can_brief:
            raise Unavailable(f"briefings are {NOT_AVAILABLE}")
        brief = getattr(self.assistant, "brief")  # noqa: B009
        result = _as_json(brief(source=source or None, bullets=bullets))
        return result if isinstance(result, dict) else {"bullets": result}

    # -- health ----------------------------------------------------------------------------

    def health(self) -> Health:
        settings = self.assistant.settings
        try:
            generator = self.assistant.generator.name
        except Exception as error:  # a misconfigured generator must not break the page
            generator = f"unavailable ({error})"
        llm_url = getattr(settings, "llm_base_url", None)
        llm = None if not llm_url else ("answers" if _answers(llm_url) else "does not answer")
        chroma_url = getattr(settings, "chroma_url", None)
        if chroma_url:
            answers = _answers(str(chroma_url).rstrip("/") + "/api/v2/heartbeat")
            store = f"Chroma server {'answers' if answers else 'does not answer'}"
        else:
            store = "embedded Chroma"
        try:
            snapshot = self.assistant.snapshot()
            documents, chunks = len(snapshot.records), len(snapshot.chunks)
        except Exception:
            documents = chunks = 0
        return Health(generator, llm, store, documents, chunks)


def _answers(url: str, timeout: float = 1.5) -> bool:
    """Whether an HTTP server answers at ``url`` at all (any status counts as alive)."""
    target = url.rstrip("/")
    if target.endswith("/v1"):
        target += "/models"
    try:
        with urllib.request.urlopen(target, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False
