"""Named document collections: each a corpus folder with its own index, 'default' the original.

``default`` is ``RAG_CORPUS_DIR`` + ``RAG_INDEX_DIR``, as before collections existed; every other
collection is ``RAG_COLLECTIONS_DIR/<name>/corpus`` + ``…/<name>/index`` (on a Chroma server,
the collections ``<RAG_CHROMA_PREFIX>-<name>-*``). A collection exists when its corpus folder does.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.history.store import ChatStore, HistoryUnavailable, default_history_path
from rag.settings import COLLECTION_NAME, DEFAULT_COLLECTION, Settings
from rag.store.chroma import COLLECTION, SENTENCE_COLLECTION, chroma_errors, connect_server

_NAME = re.compile(COLLECTION_NAME)
# Every Chroma collection an index uses on a server: vectors (rag.store.chroma) and the
# catalog's manifest and documents (rag.store.chroma_catalog).
_SERVER_PARTS = (COLLECTION, SENTENCE_COLLECTION, "manifest", "documents")


class CollectionError(ValueError):
    """A collection request the user can fix (bad name, no such collection): one line."""


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise CollectionError(
            f"'{name}' is not a collection name: use 1 to 40 letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    return name


@dataclass(frozen=True)
class CollectionInfo:
    name: str
    corpus: Path
    index: Path
    files: int  # files in the corpus folder (indexed or not)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "corpus": str(self.corpus),
            "index": str(self.index),
            "files": self.files,
        }


class Collections:
    """List, open, create, rename and delete collections, from any collection's settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.collections_dir

    def names(self) -> list[str]:
        """``default`` first, then the others by name."""
        found = []
        if self.root.is_dir():
            found = sorted(
                d.name
                for d in self.root.iterdir()
                if _NAME.match(d.name) and d.name != DEFAULT_COLLECTION and (d / "corpus").is_dir()
            )
        return [DEFAULT_COLLECTION, *found]

    def exists(self, name: str) -> bool:
        return name == DEFAULT_COLLECTION or (self.root / name / "corpus").is_dir()

    def settings_for(self, name: str) -> Settings:
        """The settings that open collection ``name``; it must exist."""
        name = check_name(name)
        if not self.exists(name):
            raise CollectionError(
                f"no collection '{name}' (collections: {', '.join(self.names())}); "
                f"create it with `rag collections create {name}`"
            )
        return self.settings.with_collection(name)

    def info(self, name: str) -> CollectionInfo:
        settings = self.settings_for(name)
        corpus = Path(settings.corpus_dir)
        files = sum(1 for p in corpus.rglob("*") if p.is_file()) if corpus.is_dir() else 0
        return CollectionInfo(name, corpus, Path(settings.index_dir), files)

    def create(self, name: str) -> CollectionInfo:
        name = check_name(name)
        if self.exists(name):
            raise CollectionError(f"collection '{name}' already exists")
        (self.root / name / "corpus").mkdir(parents=True)
        return self.info(name)

    def rename(self, old: str, new: str) -> CollectionInfo:
        old, new = check_name(old), check_name(new)
        if DEFAULT_COLLECTION in (old, new):
            raise CollectionError(
                "the default collection keeps its name (it is RAG_CORPUS_DIR and RAG_INDEX_DIR)"
            )
        source = self._folder(old)
        if self.exists(new):
            raise CollectionError(f"collection '{new}' already exists")
        history = self._history()
        if self.settings.chroma_url:
            self._rename_on_server(old, new)
        _forget_embedded(source / "index")
        source.rename(self.root / new)
        if history is not None:
            history.move_collection(old, new)
        return self.info(new)

    def _history(self) -> ChatStore | None:
        """The saved conversations, which follow a renamed collection; None when there are none.

        Opened before anything moves: a rename that could not take its conversations along
        would leave them listed under a collection that no longer exists."""
        path = default_history_path(self.settings)
        if not path.exists():
            return None
        try:
            return ChatStore(path)
        except HistoryUnavailable as error:
            raise CollectionError(f"{error}; the collection was not renamed") from error

    def delete(self, name: str) -> None:
        """Remove the collection's folder (its documents and index); never the default's."""
        name = check_name(name)
        if name == DEFAULT_COLLECTION:
            raise CollectionError("the default collection's documents are never deleted")
        folder = self._folder(name)
        home = self.settings.with_collection(DEFAULT_COLLECTION)
        for kept in (home.corpus_dir, home.index_dir):
            if Path(kept).resolve().is_relative_to(folder):
                raise CollectionError(
                    f"collection '{name}' holds the default collection's folder {kept}; not deleted"
                )
        if self.settings.chroma_url:
            self._delete_on_server(name)
        _forget_embedded(folder / "index")
        shutil.rmtree(folder)

    def _folder(self, name: str) -> Path:
        if not self.exists(name):
            raise CollectionError(
                f"no collection '{name}' (collections: {', '.join(self.names())})"
            )
        root = self.root.resolve()
        folder = (root / name).resolve()
        if folder.parent != root:  # a symbolic link out of the collections folder
            raise CollectionError(f"collection '{name}' is not a folder of {self.root}")
        return folder

    def _server_names(self, name: str) -> list[str]:
        prefix = self.settings.with_collection(name).chroma_prefix
        return [f"{prefix}-{part}" for part in _SERVER_PARTS]

    def _rename_on_server(self, old: str, new: str) -> None:
        client = connect_server(str(self.settings.chroma_url))
        existing = {c.name for c in client.list_collections()}
        with chroma_errors(str(self.settings.chroma_url)):
            for before, after in zip(self._server_names(old), self._server_names(new), strict=True):
                if before in existing:
                    client.get_collection(before).modify(name=after)

    def _delete_on_server(self, name: str) -> None:
        client = connect_server(str(self.settings.chroma_url))
        existing = {c.name for c in client.list_collections()}
        with chroma_errors(str(self.settings.chroma_url)):
            for collection in self._server_names(name):
                if collection in existing:
                    client.delete_collection(collection)


def _forget_embedded(index_dir: Path) -> None:
    """Stop this process's Chroma for an index folder about to move or vanish.

    Chroma keeps one database handle per path per process: a collection deleted and then made
    again under the same name would otherwise write through the handle of the deleted files."""
    from chromadb.api.shared_system_client import SharedSystemClient

    chroma = (index_dir / "chroma").resolve()
    systems = SharedSystemClient._identifier_to_system
    for identifier in [i for i in systems if i and Path(i).resolve() == chroma]:
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        systems.pop(identifier).stop()
