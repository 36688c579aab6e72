"""Index one folder from scratch and print what it cost: the index report, units, peak memory.

Run: PYTHONPATH=. python scripts/bench_index.py CORPUS [--index DIR] [--commits N] [RAG_* via env]
With ``--commits N`` it stops after N index commits (a long book: how soon it is searchable,
and the ETA `rag index` shows then, without waiting hours for the rest).
The same script runs against an older checkout (PYTHONPATH=that checkout) for before/after
figures: it reads the report generically, so fields a version lacks are simply absent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from rag.cli.progress import ProgressDisplay
from rag.embedding import E5Embedder
from rag.index_report import IndexProgress
from rag.indexer import Indexer
from rag.settings import Settings
from rag.store.registry import open_index_store
from rag.store.snapshot import IndexSnapshot


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--index", type=Path, help="index folder (default: a fresh temporary one)")
    parser.add_argument("--commits", type=int, help="stop after this many index commits")
    args = parser.parse_args()
    index = args.index or Path(tempfile.mkdtemp(prefix="indexing-bench-"))
    shutil.rmtree(index, ignore_errors=True)
    settings = Settings(corpus_dir=args.corpus, index_dir=index)
    started = time.perf_counter()
    embedder = E5Embedder()
    embedder.embed_passages(["warm-up"])  # loading the model is not indexing
    loaded = time.perf_counter() - started
    cpu_before = _cpu_seconds()
    commits: list[tuple[float, float]] = []  # (wall, CPU) seconds at each commit
    display = ProgressDisplay(sys.stderr, every_s=0)  # the line `rag index` prints, each time
    run_started = time.perf_counter()

    def progress(event: IndexProgress) -> None:
        if event.stage != "embedding":
            return
        display(event)  # from the stage's start: its rate and time left
        if not event.done:
            return
        commits.append((time.perf_counter() - run_started, _cpu_seconds() - cpu_before))
        if args.commits and len(commits) >= args.commits:
            raise KeyboardInterrupt  # what is committed stays searchable

    try:
        report = Indexer(settings, embedder).run(progress=progress)
    except KeyboardInterrupt:
        first = commits[0]
        print(
            json.dumps(
                {
                    "commits": len(commits),
                    "first_searchable_s": round(first[0], 1),
                    "first_searchable_cpu_s": round(first[1], 1),
                    "peak_rss_mb": _peak_rss_mb(),
                }
            )
        )
        return
    cpu = _cpu_seconds() - cpu_before
    data = report.to_json()
    data.pop("skipped", None)
    snapshot = IndexSnapshot.load(open_index_store(settings), settings.chunk_chars)
    data["text_characters"] = sum(len(d.text) for d in snapshot.documents.values())
    data["text_characters_per_s"] = round(data["text_characters"] / report.seconds)
    # On a shared, loaded machine wall time says more about the neighbours than about us:
    # the CPU seconds this process (every thread) spent indexing are the fairer measure.
    data["cpu_s"] = round(cpu, 1)
    data["text_characters_per_cpu_s"] = round(data["text_characters"] / cpu)
    data["model_load_s"] = round(loaded, 2)
    data["texts_given_to_model"] = embedder.passages_embedded - 1
    if commits:
        data["first_searchable_s"] = round(commits[0][0], 1)
        data["first_searchable_cpu_s"] = round(commits[0][1], 1)
    data["load_average_1min"] = round(os.getloadavg()[0], 1)
    data["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(data))


if __name__ == "__main__":
    main()
