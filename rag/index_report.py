"""What an index run did and where its time went, and how it reports progress while it runs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rag.ingest import SkippedFile

# The stages an index run times, in the order a document goes through them.
STAGES = (
    "read",  # file bytes and text extraction
    "split",  # sentences and chunks
    "embed_chunks",
    "embed_sentences",
    "write_documents",  # each document's text and spans
    "write_vectors",  # Chroma upserts
    "commit",  # manifest writes
)


@dataclass(frozen=True)
class IndexProgress:
    """``done`` of ``total`` ``unit`` so far in ``stage`` ("reading" files, "embedding" text)."""

    stage: str
    done: int
    total: int
    unit: str


Progress = Callable[[IndexProgress], None]


@dataclass
class IndexReport:
    documents: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    repaired: int = 0
    passages_embedded: int = 0
    sentences_embedded: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    seconds: float = 0.0
    characters: int = 0  # text of the documents (re)indexed in this run
    texts_embedded: int = 0  # distinct texts the embedder was given (after deduplication)
    stage_seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stage_seconds[stage] += time.perf_counter() - started

    def to_json(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "chunks": self.chunks,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "repaired": self.repaired,
            "passages_embedded": self.passages_embedded,
            "sentences_embedded": self.sentences_embedded,
            "texts_embedded": self.texts_embedded,
            "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "seconds": round(self.seconds, 3),
            "characters": self.characters,
            "characters_per_s": round(self.characters / self.seconds) if self.seconds else 0,
            "stage_seconds": {name: round(s, 3) for name, s in self.stage_seconds.items()},
        }
