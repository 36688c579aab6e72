"""The Documents tab's collection row: switch, create, rename and delete collections."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr

from rag.collections import CollectionError
from rag.settings import DEFAULT_COLLECTION, Settings
from rag.store.errors import IndexProblem
from ui import panels
from ui.workspace import Workspace

CONFIRM_DELETE = (
    "(name, typed) => [(name && window.confirm(`Delete the collection ${name}: its documents "
    "and its index?`)) ? name : '', typed]"
)
_ERRORS = (CollectionError, IndexProblem, OSError)


@dataclass
class CollectionControls:
    choice: gr.Dropdown
    name: gr.Textbox
    create: gr.Button
    rename: gr.Button
    delete: gr.Button


def collection_controls(workspace: Workspace) -> CollectionControls:
    with gr.Row(elem_id="rag-collections"):
        choice = gr.Dropdown(
            workspace.names(),
            value=workspace.current,
            label="Collection",
            elem_id="rag-collection",
            scale=3,
        )
        name = gr.Textbox(
            label="New collection name",
            placeholder="letters, digits, - and _",
            elem_id="rag-collection-name",
            scale=3,
        )
        create = gr.Button("Create", scale=1, min_width=80, elem_id="rag-collection-create")
        rename = gr.Button("Rename", scale=1, min_width=80, elem_id="rag-collection-rename")
        delete = gr.Button(
            "Delete collection", variant="stop", scale=1, elem_id="rag-collection-delete"
        )
    return CollectionControls(choice, name, create, rename, delete)


def wire(
    controls: CollectionControls,
    workspace: Workspace,
    views: Callable[[], tuple[Any, ...]],
    message: gr.HTML,
    outputs: list[Any],
    cleared: list[Any],
    events: dict[str, Any],
) -> list[Any]:
    """Each action answers with a notice, the collection choices, ``views()`` for ``outputs``
    (the documents and what depends on them) and an empty chat for ``cleared`` (its citations
    pointed into the other collection). Returns the events, for what must follow them."""

    def after(notice: str, kind: str = "ok") -> tuple[Any, ...]:
        choice = gr.update(choices=workspace.names(), value=workspace.current)
        empty: tuple[list[Any], ...] = tuple([] for _ in cleared)
        return (panels.notice_html(notice, kind), choice, "", *views(), *empty)

    def guarded(action: Callable[[str], str]) -> Callable[[str], tuple[Any, ...]]:
        def run(value: str) -> tuple[Any, ...]:
            try:
                return after(action(value or ""))
            except _ERRORS as error:
                return after(str(error), "error")

        return run

    def switch(name: str) -> str:
        if name != workspace.current:
            workspace.switch(name)
        # The same words when it was open already: a dropdown may report one choice twice.
        return f"Opened collection '{name}'."

    def create(name: str) -> str:
        info = workspace.create(name)
        return f"Created and opened collection '{info.name}': add documents above."

    def rename(name: str) -> str:
        old = workspace.current
        info = workspace.rename(name)
        return f"Renamed collection '{old}' to '{info.name}'."

    def delete(name: str) -> str:
        if not name:
            return "Nothing deleted."
        if name != workspace.current:
            workspace.switch(name)
        return f"Deleted collection '{workspace.delete()}'; the default collection is open."

    targets = [message, controls.choice, controls.name, *outputs, *cleared]
    return [
        controls.choice.select(guarded(switch), controls.choice, targets, **events),
        controls.create.click(guarded(create), controls.name, targets, **events),
        controls.name.submit(guarded(create), controls.name, targets, **events),
        controls.rename.click(guarded(rename), controls.name, targets, **events),
        controls.delete.click(
            lambda name, _typed: guarded(delete)(name),
            [controls.choice, controls.name],
            targets,
            js=CONFIRM_DELETE,
            **events,
        ),
    ]


def current_choice(workspace: Workspace) -> Any:
    """The collection dropdown as a page load finds it (another tab may have switched)."""
    return gr.update(choices=workspace.names(), value=workspace.current)


def blocked_collections(settings: Settings) -> list[str]:
    """Every collection's folders, never served as files (the open one's are given already)."""
    home = settings.with_collection(DEFAULT_COLLECTION)
    return [os.fspath(p) for p in (home.corpus_dir, home.index_dir, settings.collections_dir)]
