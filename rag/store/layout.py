"""The on-disk layout of an index folder and the lock that serialises writers."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rag.store.errors import IndexProblem


@dataclass(frozen=True)
class IndexLayout:
    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def documents(self) -> Path:
        return self.root / "documents"

    @property
    def chroma(self) -> Path:
        return self.root / "chroma"

    @property
    def lock(self) -> Path:
        return self.root / ".lock"

    def exists(self) -> bool:
        return self.manifest.exists()


@contextmanager
def writer_lock(layout: IndexLayout) -> Iterator[None]:
    """One indexer at a time; a second one fails at once with a clear message."""
    try:
        layout.root.mkdir(parents=True, exist_ok=True)
        handle = os.open(layout.lock, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError as error:
        raise IndexProblem(
            f"cannot write to the index folder {layout.root} ({error.strerror})"
        ) from error
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise IndexProblem(f"another `rag index` is already updating {layout.root}") from error
        yield
    finally:
        os.close(handle)
