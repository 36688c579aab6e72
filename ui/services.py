"""What the page asks of the library: answers, quotes, briefings and health, as plain data."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rag.generation.base import Turn
from rag.pipeline import Assistant
from rag.types import Answer

HISTORY_TURNS = 3  # earlier exchanges given to a follow-up question


@dataclass(frozen=True)
class Health:
    generator: str
    llm: str | None  # None: no LLM configured
    store: str
    documents: int
    chunks: int
    collection: str = "default"


class Services:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    # -- chat ------------------------------------------------------------------------------

    def answer_stream(
        self,
        question: str,
        turns: list[tuple[str, str]],
        sources: list[str] | None = None,
    ) -> Iterator[str | Answer]:
        """Text pieces as they are written, then the final verified Answer; from ``sources``
        (document paths) only when given."""
        history = tuple(Turn(q, a) for q, a in turns[-HISTORY_TURNS:])
        yield from self.assistant.ask_stream(question, history=history, sources=sources)

    def ask(self, question: str, sources: list[str] | None = None) -> dict[str, Any]:
        return self.assistant.ask(question, sources=sources).to_json()

    # -- find and brief --------------------------------------------------------------------

    def find(self, text: str) -> dict[str, Any]:
        return self.assistant.find(text).to_json()

    def brief(self, source: str | None, bullets: int) -> dict[str, Any]:
        return self.assistant.brief(source=source or None, bullets=bullets).to_json()

    def brief_stream(self, source: str | None, bullets: int) -> Iterator[dict[str, Any]]:
        """The quoted briefing at once, then (with an LLM) the final one."""
        for briefing in self.assistant.brief_stream(source=source or None, bullets=bullets):
            yield briefing.to_json()

    # -- health ----------------------------------------------------------------------------

    def health(self) -> Health:
        settings = self.assistant.settings
        try:
            # Never the generator itself: building it loads a model, which this must not wait on.
            generator = self.assistant.drafter.status()
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
        return Health(generator, llm, store, documents, chunks, settings.collection)


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
