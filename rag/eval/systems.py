"""The systems an eval run compares: our ``Assistant`` and baselines built over its very chunks."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rag.eval.baselines import BM25Retriever, DenseRetriever, LlamaIndexRetriever, Retriever
from rag.eval.embedding_cache import CachedEmbedder
from rag.eval.records import EvalDataset
from rag.eval.workspace import index_dir, write_corpus
from rag.indexer import IndexReport
from rag.pipeline import Assistant
from rag.settings import Settings
from rag.types import Chunk, Passage

# Settings that change what an index holds; the index folder is keyed by them.
INDEX_SETTINGS = ("chunk_chars", "chunk_vectors")


class AssistantRetriever:
    """``Assistant.retrieve`` seen through the ``Retriever`` protocol."""

    name = "ours"

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def retrieve(self, question: str, k: int) -> list[Passage]:
        return self.assistant.retrieve(question, k=k)


@dataclass
class Workspace:
    """An indexed copy of a dataset's corpus and what building it cost."""

    assistant: Assistant
    corpus_dir: Path
    index_seconds: float
    passages_embedded: int
    # The build that made the index in use, saved next to it: this run's when it indexed
    # anything, else the one of the run that did (``reused``).
    build: dict[str, Any] = field(default_factory=dict)

    def chunks(self) -> list[Chunk]:
        snapshot = self.assistant.snapshot()
        return [snapshot.chunks[chunk_id] for chunk_id in snapshot.chunk_order]


def build_workspace(
    dataset: EvalDataset, settings: Settings, cache_dir: Path, embedder: CachedEmbedder
) -> Workspace:
    """Write the corpus as files and index it (incrementally) in a cache folder keyed by the
    corpus content and the index settings: never the user's ``index/``."""
    corpus = write_corpus(dataset, cache_dir)
    keyed = {name: getattr(settings, name) for name in INDEX_SETTINGS}
    run_settings = settings.model_copy(
        update={"corpus_dir": corpus, "index_dir": index_dir(dataset, keyed, cache_dir)}
    )
    assistant = Assistant(run_settings, embedder=embedder)
    before = embedder.passages_embedded
    started = time.perf_counter()
    report = assistant.index()
    seconds = time.perf_counter() - started
    embedded = embedder.passages_embedded - before
    return Workspace(
        assistant,
        corpus,
        seconds,
        embedded,
        _build_figures(dataset, report, embedded, run_settings.index_dir / "build.json"),
    )


def _build_figures(
    dataset: EvalDataset, report: IndexReport, model_calls: int, saved: Path
) -> dict[str, Any]:
    """Seconds, characters, characters/s, chunks and sentences of the index build; the texts
    that cost no model time (repeated in the corpus, or in the embedding cache from an earlier
    run) are counted apart."""
    if report.added + report.updated == 0 and saved.is_file():
        return {**json.loads(saved.read_text(encoding="utf-8")), "reused": True}
    characters = sum(len(d.text) for d in dataset.documents)
    figures = {
        "seconds": round(report.seconds, 2),
        "characters": characters,
        "characters_per_second": round(characters / report.seconds) if report.seconds else None,
        "documents": report.documents,
        "chunks": report.chunks,
        "passages_embedded": report.passages_embedded,
        "sentences_embedded": report.sentences_embedded,
        "not_sent_to_model": report.passages_embedded + report.sentences_embedded - model_calls,
    }
    saved.write_text(json.dumps(figures) + "\n", encoding="utf-8")
    return {**figures, "reused": False}


def baselines(
    workspace: Workspace, dataset: EvalDataset, embedder: CachedEmbedder, plain: bool = True
) -> list[Retriever]:
    """BM25 only and dense only over the workspace's chunks, and the plain llama-index pipeline
    (its own default chunking, our embedder) over the same documents."""
    chunks = workspace.chunks()
    snapshot = workspace.assistant.snapshot()
    languages = [snapshot.documents[c.doc_id].language for c in chunks]
    vectors = embedder.embed_passages([c.text for c in chunks])
    systems: list[Retriever] = [
        BM25Retriever(chunks, languages, stem="none", name="bm25"),
        DenseRetriever(chunks, np.asarray(vectors), embedder.embed_query, name="dense"),
    ]
    if plain:
        systems.append(LlamaIndexRetriever(dataset.documents, embedder=embedder))
    return systems
