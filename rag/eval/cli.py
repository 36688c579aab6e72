"""The ``rag eval`` subcommand: measure the assistant and the baselines on a dataset."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from rag.settings import Settings

DATASETS = ("dev", "piaf", "xquad-en-es", "squad2", "pg", "spf", "real", "real-en", "verify")
FEEDBACK = "feedback"  # the rated answers in the history, replayed on the current index


def add_parser(commands: Any) -> None:
    """Register ``eval`` on the main parser's subcommands."""
    parser = commands.add_parser(
        "eval",
        help="measure retrieval, answers and citations on an evaluation dataset",
        description="Index the dataset in a cache folder (never index/), run the assistant and "
        "the baselines (BM25 only, dense only, plain llama-index) on its questions, print a "
        "table and write a JSON results file.",
    )
    parser.add_argument(
        "--dataset",
        required=True,
        choices=(*DATASETS, FEEDBACK),
        help="an evaluation dataset, or 'feedback': replay the answers rated 👍/👎 in the web "
        "app through the current index and pipeline and show what changed",
    )
    parser.add_argument("--limit", type=int, help="a seeded sample of this many questions")
    parser.add_argument(
        "--documents",
        type=int,
        help="shrink the corpus to the questions' gold documents plus seeded distractors, "
        "this many in all (smoke runs)",
    )
    parser.add_argument(
        "--eval-dir",
        type=Path,
        help="folder of the evaluation data (default <repo>/../shared/eval)",
    )
    parser.add_argument(
        "--cache-dir", type=Path, help="indexes, embeddings, results (default <repo>/.bench-cache)"
    )
    parser.add_argument("--output", type=Path, help="results file (default in the cache folder)")
    parser.add_argument("--no-ask", action="store_true", help="retrieval metrics only")
    parser.add_argument(
        "--no-plain", action="store_true", help="skip the plain llama-index baseline"
    )
    parser.add_argument(
        "--no-find", action="store_true", help="skip the dataset's `rag find` probes"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--split",
        choices=("heldout", "calibration", "all"),
        default="heldout",
        help="--dataset verify only: which half of the labelled claims (default heldout)",
    )
    parser.set_defaults(run=cmd_eval)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    if args.dataset == FEEDBACK:
        from rag.eval.feedback import run_feedback

        print(run_feedback(settings, args.json, settings.collection))
        return 0
    from rag.eval.runner import EvalOptions, render_table, run_eval, to_json, write_results

    for flag in ("limit", "documents"):
        if getattr(args, flag) is not None and getattr(args, flag) < 1:
            print(f"rag: --{flag} must be at least 1", file=sys.stderr)
            return 2
    options = EvalOptions(
        dataset=args.dataset,
        limit=args.limit,
        max_documents=args.documents,
        eval_dir=args.eval_dir,
        plain_baseline=not args.no_plain,
        ask=not args.no_ask,
        find=not args.no_find,
    )
    if args.cache_dir is not None:
        options = replace(options, cache_dir=args.cache_dir)
    if args.dataset == "verify":  # labelled claims, no index: rag/eval/verify_eval.py
        return cmd_verify(args, options.cache_dir)
    data_dir = options.eval_dir
    if data_dir is not None and not data_dir.is_dir():
        print(f"rag: no evaluation data at {data_dir}", file=sys.stderr)
        return 2
    results = run_eval(options, settings)
    size = f"limit{args.limit}" if args.limit else "full"
    size += f"-docs{args.documents}" if args.documents else ""
    output = args.output or options.cache_dir / "results" / f"{args.dataset}-{size}.json"
    write_results(results, output)
    if args.json:
        print(to_json(results))
    else:
        print(render_table(results))
        print(f"\nResults written to {output}")
    return 0


def cmd_verify(args: argparse.Namespace, cache_dir: Path) -> int:
    import json

    from rag.eval.verify_eval import render, run

    results = run(args.split, cache_dir)
    output = args.output or cache_dir / "results" / f"verify-{args.split}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(results, indent=1, ensure_ascii=False) if args.json else render(results))
    if not args.json:
        print(f"\nResults written to {output}")
    return 0
