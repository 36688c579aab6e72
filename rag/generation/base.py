"""What every answer generator receives and must implement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from rag.types import Passage


@dataclass(frozen=True)
class Evidence:
    """A sentence inside a retrieved passage, scored for how well it answers the question."""

    passage_number: int  # 1-based position in ``GenerationRequest.passages``
    source: str
    start: int
    end: int
    text: str
    score: float
    # "heading" or "code" (see rag.retrieval.sentence_kind): a heading locates an answer and
    # is never quoted as one; a code block is quoted after the sentence that introduces it.
    kind: str = "text"


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of the conversation."""

    question: str
    answer: str


@dataclass(frozen=True)
class GenerationRequest:
    question: str
    language: str  # "en" or "fr": the language the answer's own words must be in
    passages: tuple[Passage, ...]  # numbered [1]..[k] in this order
    evidence: tuple[Evidence, ...]  # best-scoring sentences first
    history: tuple[Turn, ...] = ()
    # An earlier answer written in the wrong language: the generator is asked to rewrite it.
    draft: str | None = None
    # The sentences a reader chose as the answer (rag.reading), in document order: quoted as
    # they are; empty: the extractive generator chooses by similarity.
    chosen: tuple[Evidence, ...] = ()


class GenerationError(Exception):
    """A generator could not produce an answer (server down, model missing, context overflow).

    The message is one line naming what failed (URL or file) and what happened.
    """


class Generator(Protocol):
    """Writes an answer citing passages as ``[n]`` (1-based), streamed as text pieces."""

    name: str

    def generate(self, request: GenerationRequest) -> Iterator[str]: ...
