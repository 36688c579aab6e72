"""One evaluation run: index a dataset, run ours and the baselines, collect every metric."""

from __future__ import annotations

import datetime
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.eval.answer_eval import answer_metrics, run_answers
from rag.eval.baselines import LlamaIndexRetriever, Retriever
from rag.eval.datasets import REPO_ROOT, load_dataset, restrict_corpus
from rag.eval.embedding_cache import CachedEmbedder, EmbeddingCache
from rag.eval.metrics import percentile
from rag.eval.real_scoring import real_metrics
from rag.eval.records import EvalQuestion
from rag.eval.report import code_version, markdown_table, ratios
from rag.eval.retrieval_eval import retrieval_metrics, run_retrieval
from rag.eval.systems import AssistantRetriever, baselines, build_workspace
from rag.settings import Settings

RETRIEVAL_COLUMNS = [
    "recall@1",
    "recall@5",
    "recall@10",
    "mrr",
    "retrieve_ms_p50",
    "retrieve_ms_p95",
]
RATIO_COLUMNS = ["recall@1", "recall@5", "recall@10", "mrr", "retrieve_ms_p50"]
ANSWER_COLUMNS = [
    "answered", "citation_validity", "gold_coverage", "answer_f1", "keyword_accuracy",
    "refusal_precision", "refusal_recall", "answerability_auroc", "total_ms_p50", "total_ms_p95",
]  # fmt: skip

ASK_RATIO_NOTE = (
    "End-to-end ask, ours (retrieval, sentence evidence, answerability, extractive answer, "
    "citation checks) over the plain llama-index query engine with MockLLM, p50: {:.2f}× "
    "(no model on either side; an LLM adds the same time to both)."
)


@dataclass(frozen=True)
class EvalOptions:
    """What to run; paths default to ``<repo>/../shared/eval`` and ``<repo>/.bench-cache``."""

    dataset: str
    limit: int | None = None
    max_documents: int | None = None
    eval_dir: Path | None = None
    cache_dir: Path = field(default_factory=lambda: REPO_ROOT / ".bench-cache")
    plain_baseline: bool = True
    ask: bool = True
    ask_limit: int | None = None  # ask only the first N questions (retrieval uses them all)
    find: bool = True  # run the dataset's find probes


def run_eval(options: EvalOptions, settings: Settings) -> dict[str, Any]:
    """Every metric of one run as plain JSON-ready data."""
    started = time.perf_counter()
    dataset = load_dataset(options.dataset, options.eval_dir, options.limit)
    if options.max_documents is not None:
        dataset = restrict_corpus(dataset, options.max_documents)
    embedder = CachedEmbedder(EmbeddingCache(options.cache_dir / "embeddings"))
    workspace = build_workspace(dataset, settings, options.cache_dir, embedder)
    questions = list(dataset.questions)

    # Query vectors come from the cache for every system alike, so the latencies compare
    # retrieval itself; the model's own speed is what the scale benchmark measures.
    embed_started = time.perf_counter()
    for question in questions:
        embedder.embed_query(question.question)
    embed_seconds = time.perf_counter() - embed_started
    systems: list[Retriever] = [AssistantRetriever(workspace.assistant)]
    systems += baselines(workspace, dataset, embedder, plain=options.plain_baseline)
    for system in systems:  # first calls load indexes and models; keep them out of the timings
        system.retrieve(questions[0].question if questions else "warm-up", 1)
    retrieval = {s.name: retrieval_metrics(run_retrieval(s, questions), questions) for s in systems}
    ours = retrieval["ours"]
    results: dict[str, Any] = {
        "dataset": dataset.name,
        "limit": options.limit,
        "questions": len(questions),
        "documents": len(dataset.documents),
        "chunks": len(workspace.chunks()),
        "code_version": code_version(REPO_ROOT),
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "settings": settings.model_dump(mode="json"),
        "index": {
            "seconds": round(workspace.index_seconds, 2),
            "passages_embedded": workspace.passages_embedded,
            "build": workspace.build,
        },
        "query_embedding_seconds": round(embed_seconds, 2),
        "retrieval": retrieval,
        "ratios": {
            f"ours/{name}": ratios(ours, metrics, RATIO_COLUMNS)
            for name, metrics in retrieval.items()
            if name != "ours"
        },
    }
    if options.ask:
        texts = {doc.source: doc.text for doc in dataset.documents}
        asked = questions[: options.ask_limit]
        if asked:
            workspace.assistant.ask(asked[0].question)  # load the generator untimed
        outcomes = run_answers(workspace.assistant.ask, asked)
        results["asked"] = len(asked)
        results["answers"] = {"ours": answer_metrics(outcomes, asked, texts)}
        if any(q.gold_passages for q in asked) or dataset.probes:
            probes = dataset.probes if options.find else ()
            found = [workspace.assistant.find(p.text) for p in probes]
            results["real"] = real_metrics(asked, outcomes, probes, found)
        plain = next((s for s in systems if isinstance(s, LlamaIndexRetriever)), None)
        if plain is not None and asked:
            timed = _time_plain_queries(plain, asked, settings)
            results["answers"]["llama-index"] = timed
            results["ask_ratio"] = ratios(results["answers"]["ours"], timed, ["total_ms_p50"])
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def _time_plain_queries(
    plain: LlamaIndexRetriever, questions: list[EvalQuestion], settings: Settings
) -> dict[str, float]:
    """End-to-end latency of the plain llama-index query engine (no model: see ``query``)."""
    plain.query(questions[0].question, settings.top_k)  # builds the engine untimed
    wall_ms = []
    for question in questions:
        started = time.perf_counter()
        plain.query(question.question, settings.top_k)
        wall_ms.append((time.perf_counter() - started) * 1000)
    return {"total_ms_p50": percentile(wall_ms, 50), "total_ms_p95": percentile(wall_ms, 95)}


def render_table(results: dict[str, Any]) -> str:
    """The readable summary printed after a run."""
    lines = [
        f"# {results['dataset']}: {results['questions']} questions, {results['documents']} "
        f"documents, {results['chunks']} chunks (code {results['code_version']})",
        "",
        "## Retrieval (gold document)",
        markdown_table(results["retrieval"], RETRIEVAL_COLUMNS),
        "",
        "## Ours as a ratio of each baseline",
        markdown_table(results["ratios"], RATIO_COLUMNS),
    ]
    if "answers" in results:
        columns = [c for c in ANSWER_COLUMNS if c in results["answers"]["ours"]]
        lines += ["", "## Answers", markdown_table(results["answers"], columns)]
    if "ask_ratio" in results:
        lines += ["", ASK_RATIO_NOTE.format(results["ask_ratio"]["total_ms_p50"])]
    if "real" in results:
        lines += ["", "## Scored by the dataset's README", real_table({"this run": results})]
    return "\n".join(lines)


REAL_ROWS = {  # label: (block, key, percentage?)
    "answered right (keywords and gold citation)": ("summary", "answered_right", True),
    "keyword accuracy": ("summary", "keyword_accuracy", True),
    "gold citation": ("summary", "gold_citation", True),
    "answered right, PDF citations on the gold page": (
        "summary", "answered_right_with_page", True),
    "PDF gold citations with the gold page": ("summary", "pdf_page_share", True),
    "declined, of the unanswerable (refusal accuracy)": ("summary", "declined", True),
    "answerable questions declined": ("summary", "false_declines", True),
    "find probes right": ("summary", "find_hits", True),
    "index build, seconds": ("build", "seconds", False),
    "characters extracted": ("build", "characters", False),
    "characters/s": ("build", "characters_per_second", False),
    "chunks": ("build", "chunks", False),
    "sentence units embedded": ("build", "sentences_embedded", False),
}  # fmt: skip


def _real_cell(results: dict[str, Any], block: str, key: str, percent: bool) -> str:
    data = results["real"]["summary"] if block == "summary" else results["index"]["build"]
    value = data.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if not percent:
        return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    summary = results["real"]["summary"]
    of = {"declined": "unanswerable", "find_hits": "probes", "pdf_page_share": "pdf_gold_citations"}
    total = summary.get(of.get(key, "answerable"), 0)
    return f"{value:.0%} ({round(value * total)}/{total})"


def real_table(runs: dict[str, dict[str, Any]]) -> str:
    """The README's figures and the index build, one column per run (e.g. before / after)."""
    lines = ["| | " + " | ".join(runs) + " |", "|---|" + "---:|" * len(runs)]
    for label, (block, key, percent) in REAL_ROWS.items():
        cells = [_real_cell(results, block, key, percent) for results in runs.values()]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _strict(value: Any) -> Any:
    """NaN (a metric with nothing to measure) becomes null: strict JSON has no NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strict(v) for v in value]
    return value


def to_json(results: dict[str, Any]) -> str:
    return json.dumps(_strict(results), indent=1, ensure_ascii=False, allow_nan=False)


def write_results(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_json(results) + "\n", encoding="utf-8")
