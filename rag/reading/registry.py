"""Which reader a question gets: the in-process LLM when there is one, else none (the
extractive quote, chosen by similarity, stands)."""

from __future__ import annotations

from typing import Any

from rag.generation import llm_check
from rag.reading.base import Reader
from rag.reading.llm import LlmReader
from rag.settings import Settings


def create_reader(settings: Settings, generator: Any) -> Reader | None:
    """The LLM reader on ``generator``'s model when ``RAG_READER`` allows it and the model
    runs in this process (its logits are read); None otherwise."""
    if settings.reader == "extractive":
        return None
    judge = llm_check.judge_of(generator)
    return None if judge is None else LlmReader(judge)
