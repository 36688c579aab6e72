"""The page's collection switch: the Assistant behind it, and what rename and delete leave open."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.collections import CollectionError
from rag.pipeline import Assistant
from rag.settings import Settings
from tests.conftest import SEED_FILE
from ui.library import Library
from ui.services import Services
from ui.workspace import Workspace


@pytest.fixture
def workspace(tmp_path: Path, embedder) -> Workspace:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "seeds"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    settings = Settings(
        corpus_dir=corpus, index_dir=tmp_path / "index", collections_dir=tmp_path / "c"
    )
    assistant = Assistant(settings, embedder=embedder)
    assistant.index()
    return Workspace(Services(assistant), Library(assistant))


def test_create_switch_rename_delete(workspace: Workspace) -> None:
    first = workspace.services.assistant
    in_flight = first.snapshot()  # what a question asked before the switch keeps reading
    workspace.create("notes")
    assert workspace.current == "notes"
    assistant = workspace.services.assistant
    assert workspace.library.assistant is assistant and assistant is not first
    assert assistant.drafter is first.drafter and assistant.embedder is first.embedder
    assert assistant.snapshot().records == {}  # a new collection opens empty, indexed
    assert in_flight.records  # the default's snapshot is untouched

    (workspace.library.corpus / "note.txt").write_text("Le phare est bleu.", encoding="utf-8")
    workspace.library.reindex()
    assert set(workspace.services.assistant.snapshot().records) == {"note.txt"}

    workspace.rename("carnet")
    assert workspace.current == "carnet" and workspace.names() == ["default", "carnet"]
    assert set(workspace.services.assistant.snapshot().records) == {"note.txt"}

    workspace.switch("default")
    assert workspace.services.assistant is first
    with pytest.raises(CollectionError, match="never deleted"):
        workspace.delete()
    with pytest.raises(CollectionError, match="keeps its name"):
        workspace.rename("other")

    workspace.switch("carnet")
    assert workspace.delete() == "carnet"
    assert workspace.current == "default" and workspace.names() == ["default"]
    assert SEED_FILE.name in workspace.services.assistant.snapshot().records
