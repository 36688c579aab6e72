"""Ask the real-documents questions (shared/eval/real) with one generator, a row per question
appended to docs/bench/real-<generator>-rows.jsonl as each finishes: the bundled 1.5B takes
minutes a question on 2 loaded cores, so an interrupted run still leaves its figures.
``scripts/bench.py --real`` shows every such file next to its main table.

Run: PYTHONPATH=. python scripts/bench_real_generator.py --generator auto [--ids r01,r02]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rag.eval.answer_eval import AnswerOutcome
from rag.eval.datasets import REPO_ROOT, load_dataset
from rag.eval.embedding_cache import CachedEmbedder, EmbeddingCache
from rag.eval.real_scoring import score_answer
from rag.eval.systems import build_workspace
from rag.settings import Settings

ROWS = REPO_ROOT / "docs" / "bench"


def rows_path(generator: str) -> Path:
    return ROWS / f"real-{generator}-rows.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generator", default="auto", help="auto = the bundled 1.5B")
    parser.add_argument("--ids", help="ask these questions first, in this order (comma-separated)")
    parser.add_argument("--cache-dir", type=Path, default=REPO_ROOT / ".bench-cache")
    parser.add_argument("--eval-dir", type=Path)
    args = parser.parse_args()
    dataset = load_dataset("real", args.eval_dir)
    embedder = CachedEmbedder(EmbeddingCache(args.cache_dir / "embeddings"))
    settings = Settings(generator=args.generator)
    assistant = build_workspace(dataset, settings, args.cache_dir, embedder).assistant
    order = args.ids.split(",") if args.ids else []
    questions = sorted(
        dataset.questions, key=lambda q: order.index(q.id) if q.id in order else len(order)
    )
    assistant.ask(questions[0].question)  # loads the model untimed
    out = rows_path(args.generator)
    out.write_text("", encoding="utf-8")
    for question in questions:
        started = time.perf_counter()
        answer = assistant.ask(question.question)
        ms = (time.perf_counter() - started) * 1000
        row = score_answer(question, AnswerOutcome(question.id, answer, ms))
        with out.open("a", encoding="utf-8") as file:
            file.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(question.id, f"{ms / 1000:.1f} s", "right" if row["right"] else "wrong", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
