"""Which reader a question gets: the in-process LLM where its reading is measured, else none
(the quote chosen by similarity stands)."""

from __future__ import annotations

from typing import Any

from rag.generation import llm_check
from rag.reading.base import Reader
from rag.reading.llm import LlmReader
from rag.settings import Settings


def create_reader(settings: Settings, generator: Any) -> Reader | None:
    """The LLM reader on ``generator``'s model: with ``RAG_READER=auto`` for the model files
    whose reading was measured (the bundled 1.5B: its P(yes) threshold for "none answers"),
    with ``llm`` for any in-process model (at the 1.5B's threshold); None otherwise."""
    if settings.reader == "extractive":
        return None
    if settings.reader == "auto" and not llm_check.checks("auto", generator):
        return None  # the 0.5B's P(yes) runs lower: at 0.7 it declined the seed's questions
    judge = llm_check.judge_of(generator)
    return None if judge is None else LlmReader(judge)
