"""Settings -> index store: files and embedded Chroma in ``index_dir``, or a Chroma server."""

from __future__ import annotations

from rag.settings import Settings
from rag.store.base import IndexStore
from rag.store.chroma import (
    COLLECTION,
    ChromaStore,
    chroma_errors,
    connect_server,
    open_persistent_collection,
)
from rag.store.layout import IndexLayout


def open_embedded(settings: Settings) -> IndexStore:
    from rag.store.file_catalog import FileCatalog

    layout = IndexLayout(settings.index_dir)
    vectors = ChromaStore(open_persistent_collection(layout.chroma), str(layout.chroma))
    return IndexStore(catalog=FileCatalog(layout), vectors=vectors)


def open_server(settings: Settings) -> IndexStore:
    from rag.store.chroma_catalog import ChromaCatalog

    url = str(settings.chroma_url)
    client = connect_server(url)
    catalog = ChromaCatalog(client, settings.chroma_prefix, url)
    with chroma_errors(catalog.location):
        collection = client.get_or_create_collection(
            f"{settings.chroma_prefix}-{COLLECTION}",
            embedding_function=None,
            metadata={"hnsw:space": "cosine"},
        )
    return IndexStore(catalog=catalog, vectors=ChromaStore(collection, catalog.location))


def open_index_store(settings: Settings) -> IndexStore:
    """Server mode when ``RAG_CHROMA_URL`` is set, else the embedded store."""
    return open_server(settings) if settings.chroma_url else open_embedded(settings)
