"""Records what a reader would read for each question: the quotable units of the retrieved
passages, which of them holds a gold phrase, and (with --judge) the bundled LLM's P(yes) that
each of the first K units (ranked in context) answers the question; with --report, scores
recorded rows under the shipped rule (rag.reading.llm.choose) by the real sets' rules: the
reader's quote is right when it holds a gold phrase and every keyword group.

Usage: python scripts/reader_probe.py --dataset real-en --out rows.jsonl [--judge --k 10]
       python scripts/reader_probe.py --report rows.jsonl QA.jsonl en [rows2 QA2 fr …]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from rag.eval.datasets import load_dataset
from rag.eval.embedding_cache import CachedEmbedder, EmbeddingCache
from rag.eval.metrics import keywords_present
from rag.eval.real_scoring import quotes_phrase
from rag.eval.systems import build_workspace
from rag.reading.llm import CANDIDATES, choose, threshold_for
from rag.reading.rank import IN_CONTEXT, rank_in_context
from rag.reading.units import Unit, quotable_units
from rag.settings import Settings


def holds_gold(unit: Unit, gold: list[tuple[str, str]]) -> bool:
    return any(
        unit.source == source and quotes_phrase(unit.text, phrase) for source, phrase in gold
    )


def _ranked(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The row's units as the product ranks them (rag.reading.rank.candidates)."""
    by_score = sorted(row["units"], key=lambda u: -u["score"])[:IN_CONTEXT]
    return sorted(by_score, key=lambda u: -u["in_context"])


def report(triples: list[str]) -> int:
    """The reader's quote under the shipped rule, per set of recorded rows (ROWS QA LANGUAGE:
    the language of the set's documents)."""
    for rows_path, qa_path, language in zip(
        triples[::3], triples[1::3], triples[2::3], strict=True
    ):
        qa = {}
        for line in Path(qa_path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                qa[item["id"]] = item
        rows = [json.loads(line) for line in Path(rows_path).read_text().splitlines() if line]
        counts = {"right": 0, "gold": 0, "answerable": 0, "declined": 0, "unanswerable": 0}
        counts["answerable_declined"] = 0
        for row in rows:
            item = qa[row["id"]]
            units = [u for u in _ranked(row)[:CANDIDATES] if "p_yes" in u]
            none_below = threshold_for(row["language"], [language] * len(units))
            index, _ = choose([u["p_yes"] for u in units], none_below)
            chosen = None if index is None else units[index]
            if not item["answerable"]:
                counts["unanswerable"] += 1
                counts["declined"] += chosen is None
                continue
            counts["answerable"] += 1
            if chosen is None:
                counts["answerable_declined"] += 1
                continue
            gold = any(quotes_phrase(chosen["text"], g["phrase"]) for g in item["gold"])
            groups = [tuple(g) for g in item["keywords"]]
            counts["gold"] += gold
            counts["right"] += gold and keywords_present(chosen["text"], groups)
        print(rows_path, json.dumps(counts))
    return 0


def main() -> int:
    if sys.argv[1:2] == ["--report"]:
        return report(sys.argv[2:])
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--eval-dir", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache-dir", type=Path, default=Path(".bench-cache"))
    parser.add_argument("--judge", action="store_true")
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--passages", type=int, default=5)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--threads", type=int, help="llama.cpp threads (1 on a busy machine)")
    args = parser.parse_args()

    settings = Settings(generator="extractive", top_k=args.passages)
    dataset = load_dataset(args.dataset, args.eval_dir, args.limit)
    cache = args.cache_dir
    embedder = CachedEmbedder(EmbeddingCache(cache / "embeddings"))
    assistant = build_workspace(dataset, settings, cache, embedder).assistant
    reader = None
    if args.judge:
        from rag.reading.llm import LlmReader

        reader = LlmReader.bundled(Settings(llm_threads=args.threads))
    with args.out.open("w", encoding="utf-8") as out:
        for question in dataset.questions:
            _, evidence, _ = assistant.evidence(question.question)
            vector = assistant.embedder.embed_query(question.question)
            ranked = rank_in_context(
                quotable_units(assistant.snapshot(), evidence), vector, assistant.embedder
            )
            units = [u for u, _ in ranked]
            gold = [(g.source, g.phrase) for g in question.gold_passages] or [
                (s, q) for s in question.gold_sources for q in question.gold_quotes
            ]
            row: dict[str, Any] = {
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
                        "in_context": round(similarity, 4),
                        "passage": u.passage_number,
                        "gold": holds_gold(u, gold),
                    }
                    for u, similarity in ranked
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
