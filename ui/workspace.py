"""Which collection the page shows: switching swaps the Assistant behind the page's services.

A request already running keeps the Assistant it started with (it read ``services.assistant``
once), so a switch never changes the documents under a question being answered. Library
changes (upload, delete, re-index) and switches take the library's lock, so a file is never
saved into one collection and indexed in another."""

from __future__ import annotations

import threading

from rag.collections import CollectionError, CollectionInfo, Collections, check_name
from rag.pipeline import Assistant
from rag.settings import DEFAULT_COLLECTION
from ui.library import Library
from ui.services import Services


class Workspace:
    def __init__(self, services: Services, library: Library) -> None:
        self.services = services
        self.library = library
        self.collections = Collections(services.assistant.settings)
        # One Assistant per collection opened: switching back is instant; all share the
        # embedder and the drafter (an LLM is loaded once, whatever the collection).
        self._assistants = {services.assistant.settings.collection: services.assistant}
        self._lock = threading.Lock()

    @property
    def current(self) -> str:
        return self.services.assistant.settings.collection

    def names(self) -> list[str]:
        return self.collections.names()

    def _assistant(self, name: str) -> Assistant:
        if name not in self._assistants:
            first = self.services.assistant
            assistant = Assistant(self.collections.settings_for(name), embedder=first.embedder)
            assistant.drafter = first.drafter
            self._assistants[name] = assistant
        return self._assistants[name]

    def switch(self, name: str) -> None:
        with self._lock:
            assistant = self._assistant(name)
            with self.library._lock:  # no upload or index of the old collection is mid-way
                if not assistant.store.exists():  # new, or made by `rag collections create`
                    assistant.index()
                self.services.assistant = assistant
                self.library.assistant = assistant
                self.library.settings = assistant.settings

    def create(self, name: str) -> CollectionInfo:
        info = self.collections.create(name)
        self.switch(info.name)
        return info

    def rename(self, new: str) -> CollectionInfo:
        """Rename the open collection (it stays open under its new name)."""
        old = self.current
        if old == DEFAULT_COLLECTION:
            raise CollectionError(
                "the default collection keeps its name; create a new collection instead"
            )
        new = check_name(new)
        if self.collections.exists(new):
            raise CollectionError(f"collection '{new}' already exists")
        self.switch(DEFAULT_COLLECTION)  # nothing may hold the folder while it moves
        try:
            info = self.collections.rename(old, new)
        except Exception:
            self.switch(old)
            raise
        self._assistants.pop(old, None)
        self.switch(info.name)
        return info

    def delete(self) -> str:
        """Delete the open collection's documents and index; the default collection opens."""
        doomed = self.current
        if doomed == DEFAULT_COLLECTION:
            raise CollectionError("the default collection's documents are never deleted")
        self.switch(DEFAULT_COLLECTION)
        self._assistants.pop(doomed, None)
        self.collections.delete(doomed)
        return doomed
