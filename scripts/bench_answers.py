"""Answer latency and quality of the in-process LLM, whole-passage prompt vs prompt on a budget.

Usage: PYTHONPATH=. python scripts/bench_answers.py [--limit N] [--model qwen2.5-coder-1.5b]
           [--budgets 0,300] [--lookup off|on|both] [--piaf 30] [--xquad 20] [--json out.json]

dev_qa.jsonl, a PIAF and an XQuAD en→es sample (the eval harness's loaders and .bench-cache/
indexes) are asked of the real pipeline with RAG_GENERATOR=llamacpp. Every variant answers a
question before the next question is asked, so the variants compare back to back on a noisy
machine. Budget 0 is the whole-passage prompt. Prints a BENCHMARKS.md section.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from rag.eval.answer_eval import answer_text, gold_coverage
from rag.eval.datasets import REPO_ROOT, load_dataset, restrict_corpus
from rag.eval.embedding_cache import CachedEmbedder, EmbeddingCache
from rag.eval.metrics import best_token_f1, keywords_present, percentile
from rag.eval.records import EvalDataset, EvalQuestion
from rag.eval.systems import build_workspace
from rag.generation.grounded import answer_language
from rag.pipeline import Assistant
from rag.settings import Settings
from rag.types import Answer

CACHE = REPO_ROOT / ".bench-cache"
DOCUMENTS = 60  # PIAF / XQuAD paragraphs indexed: the questions' own plus distractors


def variant_settings(base: Settings, budget: int, lookup: bool) -> Settings:
    return base.model_copy(update={"llm_prompt_tokens": budget, "llm_prompt_lookup": lookup})


def ask(assistant: Assistant, question: str) -> dict[str, Any]:
    """One answer with its wall-clock times: first streamed token and verified answer."""
    first: list[float] = []
    started = time.perf_counter()

    def on_token(piece: str) -> None:
        if not first:
            first.append((time.perf_counter() - started) * 1000)

    answer = assistant.ask(question, on_token=on_token)
    generator = assistant.generator
    return {
        "answer": answer,
        "total_ms": (time.perf_counter() - started) * 1000,
        "first_token_ms": first[0] if first else None,
        "prompt_tokens": getattr(generator, "last_prompt_tokens", None) if first else None,
        "reused_tokens": getattr(generator, "last_reused_tokens", None) if first else None,
    }


def score(question: EvalQuestion, result: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    answer: Answer = result["answer"]
    row: dict[str, Any] = {
        "id": question.id,
        "question": question.question,
        "text": answer.text,
        "generator": answer.generator,
        "answerable": answer.answerable,
        "expected": question.answerable,
        "refusal_ok": answer.answerable == question.answerable,
        "in_language": answer_language(answer.text) == question.language
        if answer.answerable
        else None,
        "sentences": [s.supported for s in answer.sentences],
        "warnings": list(answer.warnings),  # e.g. why an LLM answer fell back to extractive
        "timings": answer.timings_ms,
        **{k: v for k, v in result.items() if k != "answer"},
    }
    if question.answerable:
        row["gold_coverage"] = gold_coverage(answer.citations, question, texts)
        if question.keyword_groups:
            row["keywords_ok"] = answer.answerable and keywords_present(
                answer.text, question.keyword_groups
            )
        if question.answers:
            row["f1"] = best_token_f1(answer_text(answer), question.answers)
    return row


def datasets(args: argparse.Namespace) -> list[EvalDataset]:
    chosen = [load_dataset("dev", args.eval_dir, args.limit)]
    for name, n in (("piaf", args.piaf), ("xquad-en-es", args.xquad)):
        if n:
            n = min(n, args.limit) if args.limit else n
            chosen.append(restrict_corpus(load_dataset(name, args.eval_dir, n), DOCUMENTS))
    return chosen


def run(args: argparse.Namespace) -> dict[str, Any]:
    base = Settings(
        generator="llamacpp",
        bundled_model=args.model,
        llm_threads=args.threads,
        llm_temperature=0.0,
        llm_max_tokens=160,
        llm_timeout_s=600,
    )
    lookups = {"off": [False], "on": [True], "both": [False, True]}[args.lookup]
    variants = [(b, lk) for b in args.budgets for lk in lookups]
    embedder = CachedEmbedder(EmbeddingCache(CACHE / "embeddings"))
    rows: dict[str, list[dict[str, Any]]] = {name(v): [] for v in variants}
    rows["extractive"] = []
    for dataset in datasets(args):
        print(f"{dataset.name}: {len(dataset.questions)} questions", file=sys.stderr, flush=True)
        extractive = build_workspace(
            dataset, base.model_copy(update={"generator": "extractive"}), CACHE, embedder
        ).assistant
        assistants = {
            name(v): Assistant(
                variant_settings(extractive.settings, *v).model_copy(
                    update={"generator": "llamacpp"}
                ),
                embedder=embedder,
            )
            for v in variants
        }
        texts = {d.source: d.text for d in dataset.documents}
        extractive.ask(dataset.questions[0].question)  # load the embedder and index untimed
        for assistant in assistants.values():
            assistant.snapshot()
            for language in ("en", "fr"):  # load the LLM and read both prefixes untimed
                assistant.generator.prime(language)  # type: ignore[attr-defined]
        for question in dataset.questions:
            rows["extractive"].append(
                {"dataset": dataset.name}
                | score(question, ask(extractive, question.question), texts)
            )
            for key, assistant in assistants.items():
                # As in use, the previous question was another one: only the prefix is cached
                # (back to back, a variant would reuse the previous variant's passages).
                assistant.generator.forget()  # type: ignore[attr-defined]
                row = {"dataset": dataset.name} | score(
                    question, ask(assistant, question.question), texts
                )
                rows[key].append(row)
                print(
                    f"  {key} {question.id}: {row['total_ms'] / 1000:.1f} s "
                    f"(first token {(row['first_token_ms'] or 0) / 1000:.1f} s, "
                    f"{row['prompt_tokens']} prompt tokens, {row['reused_tokens']} cached) "
                    f"{row['text'][:70]!r}",
                    file=sys.stderr,
                    flush=True,
                )
    return {"model": args.model, "threads": args.threads, "rows": rows}


def name(variant: tuple[int, bool]) -> str:
    budget, lookup = variant
    prompt = "whole passages" if budget == 0 else f"budget {budget}"
    return prompt + (" + lookup" if lookup else "")


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def share(values: list[Any]) -> float | None:
        values = [v for v in values if v is not None]
        return sum(map(float, values)) / len(values) if values else None

    # Times count the answers that were written: a question declined by the answerability
    # gate costs no generation (the LLM's rows), and the extractive rows have no first token.
    timed = [r for r in rows if r.get("first_token_ms") is not None] or [
        r for r in rows if r["answerable"]
    ]

    def p(key: str, q: float) -> float | None:
        values = [r[key] for r in timed if r.get(key) is not None]
        return percentile(values, q) / 1000 if values else None

    def f1(dataset: str) -> float | None:
        return share([r.get("f1") for r in rows if r["dataset"] == dataset])

    tokens = [r["prompt_tokens"] for r in rows if r.get("prompt_tokens") is not None]
    fresh = [
        r["prompt_tokens"] - r["reused_tokens"]
        for r in rows
        if r.get("prompt_tokens") is not None and r.get("reused_tokens") is not None
    ]
    answered = [r for r in rows if r["answerable"]]
    return {
        "questions": len(rows),
        "timed": len(timed),
        "first_token_s_p50": p("first_token_ms", 50),
        "first_token_s_p95": p("first_token_ms", 95),
        "verified_s_p50": p("total_ms", 50),
        "verified_s_p95": p("total_ms", 95),
        "prompt_tokens_p50": statistics.median(tokens) if tokens else None,
        "fresh_tokens_p50": statistics.median(fresh) if fresh else None,
        "keyword_accuracy": share([r.get("keywords_ok") for r in rows]),
        "gold_coverage": share([r.get("gold_coverage") for r in rows]),
        "refusal_accuracy": share([r["refusal_ok"] for r in rows]),
        "in_language": share([r["in_language"] for r in answered]),
        "supported": share([s for r in rows for s in r["sentences"]]),
        "replaced_by_extractive": sum(
            r["generator"] == "extractive" and r["answerable"] for r in rows
        )
        if any(r.get("first_token_ms") is not None for r in rows)
        else None,
        "repairs": sum("repair" in r["timings"] for r in rows),
        "piaf_f1": f1("piaf"),
        "xquad_f1": f1("xquad-en-es"),
    }


def markdown(results: dict[str, Any], command: str, condition: str) -> str:
    def fmt(value: Any) -> str:
        if value is None:
            return "n/a"
        if isinstance(value, float):
            return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
        return str(value)

    summaries = {key: summarise(rows) for key, rows in results["rows"].items()}
    columns = list(next(iter(summaries.values())))
    lines = [
        "## Answer latency: a prompt on a budget",
        "",
        f"`{command}`: bundled {results['model']} in-process, {results['threads']} threads, "
        "temperature 0. Times are wall-clock seconds from the question: the first LLM token "
        "streamed, and the verified answer (for `extractive`, the verified extractive answer). "
        "`prompt_tokens` is the whole prompt; `fresh_tokens` what the model had to read after "
        f"its KV cache. {condition}",
        "",
        "| variant | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    lines += [
        f"| {key} | " + " | ".join(fmt(s[c]) for c in columns) + " |"
        for key, s in summaries.items()
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="questions per dataset at most")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--budgets",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[0, 300],
        help="RAG_LLM_PROMPT_TOKENS values to compare (0: whole passages)",
    )
    parser.add_argument("--lookup", choices=["off", "on", "both"], default="off")
    parser.add_argument("--piaf", type=int, default=30, help="PIAF questions (0 to skip)")
    parser.add_argument("--xquad", type=int, default=20, help="XQuAD en→es questions (0 to skip)")
    parser.add_argument("--eval-dir", type=Path, default=None, help="default: ../shared/eval")
    parser.add_argument("--condition", default="Idle machine.", help="how the machine was")
    parser.add_argument("--json", type=Path, default=None, help="write every answer here")
    parser.add_argument("--from-json", type=Path, default=None, help="re-print a saved run")
    args = parser.parse_args()
    shown, skip = [], False
    for arg in sys.argv[1:]:  # the options that change the figures, not where files are
        if skip or arg.split("=")[0] in ("--json", "--from-json", "--condition", "--eval-dir"):
            skip = not skip and "=" not in arg
            continue
        shown.append(arg)
    command = "python scripts/bench_answers.py " + " ".join(shown)
    if args.from_json:
        results = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        results = run(args)
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    print(markdown(results, command.strip(), args.condition))


if __name__ == "__main__":
    main()
