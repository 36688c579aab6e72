"""The example questions under the chat: made from the open collection's documents."""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr

from rag.examples import COUNT, ExampleQuestions
from rag.pipeline import Assistant

log = logging.getLogger(__name__)


def example_buttons() -> list[gr.Button]:
    """``COUNT`` buttons, hidden until the documents give their questions (on page load)."""
    return [gr.Button("", size="sm", min_width=120, visible=False) for _ in range(COUNT)]


def example_updates(assistant: Assistant) -> list[Any]:
    """Each button's question, or hidden: fewer questions than buttons, or none at all."""
    try:
        store = ExampleQuestions(assistant.layout.root, assistant.sentence_store)
        questions = store.get(assistant.snapshot())
    except Exception:  # examples are a convenience: the page must load without them
        log.exception("no example questions")
        questions = []
    return [
        gr.update(value=q, visible=True) if q else gr.update(value="", visible=False)
        for q in [*questions, *[""] * COUNT][:COUNT]
    ]
