"""Per-document briefs kept on disk by content hash, so a re-brief embeds only changed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.brief.extractive import Pick

# Bump when the selection changes, so old briefs are not served by a new algorithm.
VERSION = 3
_NO_SPAN = (-1, -1)


class BriefCache:
    """``folder/<content_hash>-<keep>-v<VERSION>.npz`` holds one document's picks."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, list[Pick]] = {}

    def _path(self, key: str) -> Path | None:
        return self.folder / f"{key}.npz" if self.folder else None

    @staticmethod
    def key(content_hash: str, keep: int) -> str:
        return f"{content_hash}-{keep}-v{VERSION}"

    def get(self, key: str, doc_id: str) -> list[Pick] | None:
        if key in self._memory:
            return self._memory[key]
        path = self._path(key)
        if path is None or not path.exists():
            return None
        try:
            with np.load(path) as data:
                spans, scores, vectors = data["spans"], data["scores"], data["vectors"]
        except (OSError, KeyError, ValueError):
            return None  # a torn or foreign file: recompute rather than fail the briefing
        picks = [
            Pick(doc_id, _spans(row), float(score), vector)
            for row, score, vector in zip(spans, scores, vectors, strict=True)
        ]
        self._memory[key] = picks
        return picks

    def put(self, key: str, picks: list[Pick]) -> None:
        self._memory[key] = picks
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp.npz")
            np.savez(
                partial,
                spans=np.array([_row(p) for p in picks], dtype=np.int64).reshape(-1, 4),
                scores=np.array([p.score for p in picks], dtype=np.float32),
                vectors=np.vstack([p.vector for p in picks]) if picks else np.zeros((0, 1)),
            )
            partial.replace(path)
        except OSError:
            pass  # a read-only index folder still gets a briefing, just not a cached one


def _row(pick: Pick) -> list[int]:
    """A pick's one or two spans as four numbers, padded with ``-1``."""
    spans = [*pick.spans, _NO_SPAN][:2]
    return [n for span in spans for n in span]


def _spans(row: np.ndarray) -> tuple[tuple[int, int], ...]:
    pairs = [(int(row[0]), int(row[1])), (int(row[2]), int(row[3]))]
    return tuple(pair for pair in pairs if pair != _NO_SPAN)
