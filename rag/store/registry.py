"""Settings -> index store: files and embedded Chroma in ``index_dir``, or a Chroma server."""

from __future__ import annotations

from rag.settings import Settings
from rag.store.base import IndexStore
from rag.store.chroma import (
    ChromaStore,
    chroma_errors,
    connect_server,
    open_collections,
    open_persistent_collections,
)
from rag.store.layout import IndexLayout


def open_embedded(settings: Settings) -> IndexStore:
    from rag.store.file_catalog import FileCatalog

    layout = IndexLayout(settings.index_dir)
    chunks, sentences = open_persistent_collections(layout.chroma)
    where = str(layout.chroma)
    return IndexStore(
        catalog=FileCatalog(layout),
        vectors=ChromaStore(chunks, where),
        sentences=ChromaStore(sentences, where),
    )


def open_server(settings: Settings) -> IndexStore:
    from rag.store.chroma_catalog import ChromaCatalog

    url = str(settings.chroma_url)
    client = connect_server(url)
    catalog = ChromaCatalog(client, settings.chroma_prefix, url)
    with chroma_errors(catalog.location):
        chunks, sentences = open_collections(client, f"{settings.chroma_prefix}-")
    return IndexStore(
        catalog=catalog,
        vectors=ChromaStore(chunks, catalog.location),
        sentences=ChromaStore(sentences, catalog.location),
    )


def open_index_store(settings: Settings) -> IndexStore:
    """Server mode when ``RAG_CHROMA_URL`` is set, else the embedded store."""
    return open_server(settings) if settings.chroma_url else open_embedded(settings)
