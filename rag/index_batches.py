"""What one index commit holds: documents waiting to be embedded, cut into slices of chunks."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from rag.chunking import sentence_units
from rag.standalone import stands_alone
from rag.types import Chunk, Document


@dataclass
class PendingDocument:
    """A new or changed document, read and split, whose chunks are not all committed yet."""

    document: Document
    chunks: list[Chunk]
    file_hash: str
    size: int
    mtime_ns: int
    first_chunk: int = 0  # resumes a partly committed document of an earlier run
    _units: list[Chunk] | None = None
    _bounds: tuple[list[int], list[int]] = field(default_factory=lambda: ([], []))

    @property
    def sentence_units(self) -> list[Chunk]:
        """Every sentence unit, and (in ``_bounds``) their starts and ends for bisecting."""
        if self._units is None:
            self._units = sentence_units(self.document)
            self._bounds = ([u.start for u in self._units], [u.end for u in self._units])
        return self._units

    @property
    def characters(self) -> int:
        """Characters still to embed: the chunks from ``first_chunk`` on."""
        return sum(len(chunk.text) for chunk in self.chunks[self.first_chunk :])


@dataclass(frozen=True)
class Slice:
    """Chunks ``start:end`` of one pending document: a document is committed slice by slice."""

    item: PendingDocument
    start: int
    end: int

    @property
    def chunks(self) -> list[Chunk]:
        return self.item.chunks[self.start : self.end]

    def units(self) -> list[Chunk]:
        """Every sentence unit inside this slice's chunks (chunks are runs of whole sentences)."""
        if self.start == self.end:
            return []
        units = self.item.sentence_units
        starts, ends = self.item._bounds
        first = bisect_left(starts, self.item.chunks[self.start].start)
        last = bisect_right(ends, self.item.chunks[self.end - 1].end)
        return units[first:last]

    def sentences(self) -> list[Chunk]:
        """The units that stand alone: a fragment is searched only through its chunk."""
        return [unit for unit in self.units() if stands_alone(unit.text)]


def slices(pending: list[PendingDocument], size: int) -> Iterator[list[Slice]]:
    """Commit batches of at most ``size`` chunks, across small documents and within long ones."""
    batch: list[Slice] = []
    room = size
    for item in pending:
        start = item.first_chunk
        while True:
            end = min(len(item.chunks), start + room)
            batch.append(Slice(item, start, end))
            room -= end - start
            if room == 0:
                yield batch
                batch, room = [], size
            if end >= len(item.chunks):
                break
            start = end
    if batch:
        yield batch
