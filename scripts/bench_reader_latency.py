"""What a user waits for with the default generator (bundled 1.5B in-process) and the reader:
the first quote, the reader's choice, the verified written answer; per question and p50.

Usage: RAG_CORPUS_DIR=seeds RAG_INDEX_DIR=index python scripts/bench_reader_latency.py [N]
(the dev set's first N questions; the index must be built: `rag index`).
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from rag.eval.datasets import load_dataset
from rag.pipeline import Assistant
from rag.settings import Settings
from rag.types import Answer


def main() -> int:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    assistant = Assistant(Settings())
    assistant.drafter.generator  # load the model untimed  # noqa: B018
    rows = []
    for question in load_dataset("dev").questions[:limit]:
        shown: list[float] = []
        started = time.perf_counter()

        def on_quoted(answer: Answer, shown: list[float] = shown, started: float = started) -> None:
            shown.append(time.perf_counter() - started)

        final = assistant.ask(question.question, on_quoted=on_quoted)
        rows.append(
            {
                "question": question.question,
                "first_quote_s": round(shown[0], 2) if shown else None,
                "reader_quote_s": round(shown[1], 2) if len(shown) > 1 else None,
                "read_s": round(final.timings_ms.get("read", 0) / 1000, 2),
                "final_s": round(final.timings_ms["total"] / 1000, 2),
                "generator": final.generator,
                "declined": not final.answerable,
            }
        )
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    for key in ("first_quote_s", "read_s", "final_s"):
        values = [r[key] for r in rows if r[key]]
        if values:
            print(f"{key} p50 {statistics.median(values):.2f} (n={len(values)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
