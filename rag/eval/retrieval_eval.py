"""Running a retriever over a dataset's questions and scoring where the gold document ranks."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from rag.eval.baselines import Retriever
from rag.eval.metrics import mean, percentile, recall_at_k, reciprocal_rank
from rag.eval.records import EvalQuestion
from rag.types import Passage

DEPTH = 10  # recall@10 is the deepest cut reported
CHUNKS_PER_SOURCE = 4  # chunks fetched per wanted source, since several can share a document


@dataclass(frozen=True)
class RetrievalOutcome:
    """What a retriever returned for one question, as ranked document names."""

    question_id: str
    sources: tuple[str, ...]
    latency_ms: float


def ranked_sources(passages: Sequence[Passage], depth: int = DEPTH) -> tuple[str, ...]:
    """Distinct sources in order of their best passage."""
    seen: dict[str, None] = {}
    for passage in passages:
        seen.setdefault(passage.chunk.source, None)
        if len(seen) == depth:
            break
    return tuple(seen)


def run_retrieval(
    retriever: Retriever, questions: Sequence[EvalQuestion], depth: int = DEPTH
) -> list[RetrievalOutcome]:
    outcomes = []
    for question in questions:
        started = time.perf_counter()
        passages = retriever.retrieve(question.question, depth * CHUNKS_PER_SOURCE)
        elapsed = (time.perf_counter() - started) * 1000
        outcomes.append(RetrievalOutcome(question.id, ranked_sources(passages, depth), elapsed))
    return outcomes


def retrieval_metrics(
    outcomes: Sequence[RetrievalOutcome], questions: Sequence[EvalQuestion]
) -> dict[str, float]:
    """recall@1/5/10 and MRR over the questions that have a gold document; latency over all."""
    gold = {q.id: q.gold_sources for q in questions if q.answerable and q.gold_sources}
    scored = [o for o in outcomes if o.question_id in gold]
    metrics = {
        f"recall@{k}": mean([recall_at_k(o.sources, gold[o.question_id], k) for o in scored])
        for k in (1, 5, 10)
    }
    metrics["mrr"] = mean([reciprocal_rank(o.sources, gold[o.question_id]) for o in scored])
    latencies = [o.latency_ms for o in outcomes]
    metrics["retrieve_ms_p50"] = percentile(latencies, 50)
    metrics["retrieve_ms_p95"] = percentile(latencies, 95)
    metrics["questions"] = float(len(scored))
    return metrics
