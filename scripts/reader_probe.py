"""Records what a reader would read for each question: the quotable units of the retrieved
passages, which of them holds a gold phrase, and (with --judge) the bundled LLM's P(yes) that
each of the first K units answers the question. The rows feed the reader's calibration.

Usage: python -m scripts.reader_probe --dataset real-en --out rows.jsonl [--judge --k 8]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rag.eval.datasets import load_dataset
from rag.eval.embedding_cache import CachedEmbedder, EmbeddingCache
from rag.eval.real_scoring import quotes_phrase
from rag.eval.systems import build_workspace
from rag.reading.units import Unit, quotable_units
from rag.settings import Settings


def holds_gold(unit: Unit, gold: list[tuple[str, str]]) -> bool:
    return any(unit.source == source and quotes_phrase(unit.text, phrase) for source, phrase in gold)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--eval-dir", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--judge", action="store_true")
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--passages", type=int, default=5)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()

    settings = Settings(generator="extractive", top_k=args.passages)
    dataset = load_dataset(args.dataset, args.eval_dir, args.limit)
    cache = Path(".bench-cache")
    embedder = CachedEmbedder(EmbeddingCache(cache / "embeddings"))
    assistant = build_workspace(dataset, settings, cache, embedder).assistant
    reader = None
    if args.judge:
        from rag.reading.llm import LlmReader

        reader = LlmReader.bundled(Settings())
    with args.out.open("w", encoding="utf-8") as out:
        for question in dataset.questions:
            _, evidence, _ = assistant.evidence(question.question)
            units = quotable_units(assistant.snapshot(), evidence)
            gold = [(g.source, g.phrase) for g in question.gold_passages] or [
                (s, q) for s in question.gold_sources for q in question.gold_quotes
            ]
            row = {
                "dataset": dataset.name,
                "id": question.id,
                "question": question.question,
                "language": question.language,
                "answerable": question.answerable,
                "units": [
                    {
                        "text": u.text[:400],
                        "context": u.context,
                        "score": round(u.score, 4),
                        "passage": u.passage_number,
                        "gold": holds_gold(u, gold),
                    }
                    for u in units
                ],
            }
            if reader is not None:
                started = time.perf_counter()
                judged = reader.judge_units(question.question, units[: args.k])
                row["judge_seconds"] = round(time.perf_counter() - started, 2)
                row["fresh_tokens"] = sum(j.fresh_tokens for j in judged)
                for unit_row, judgement in zip(row["units"], judged, strict=False):
                    unit_row["p_yes"] = round(judgement.p_yes, 4)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            golds = [i for i, u in enumerate(row["units"]) if u["gold"]]
            print(question.id, "gold rank", golds[:1], row.get("judge_seconds"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
