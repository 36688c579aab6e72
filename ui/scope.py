"""The chat's document filter: a multi-select of indexed documents ("ask only these")."""

from __future__ import annotations

from typing import Any

import gradio as gr

LABEL = "Only these documents (empty: all)"


def filter_box() -> gr.Dropdown:
    return gr.Dropdown(
        [],
        value=[],
        multiselect=True,
        label=LABEL,
        elem_id="rag-filter",
        scale=5,
    )


def filter_update(sources: list[str]) -> Any:
    """New choices after an index change; keeps nothing that is no longer indexed."""
    # Gradio keeps the chosen values when only the choices change; a deleted document left
    # chosen would fail every later question ("no indexed document"), so the value is reset.
    return gr.update(choices=sources, value=[])
