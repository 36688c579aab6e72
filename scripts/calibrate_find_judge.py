"""Measure the in-process LLM as `rag find`'s second look, and choose its threshold.

When the calibrated model (find_model.json) finds nothing, `rag find` may ask the bundled LLM
whether the closest span says what the query says (rag/find/judged.py, the verifier's
"states" judge). This script asks it for the semantic queries of scripts/bench_find.py that
the model rejects (the last run's candidates, .bench-cache/find/runs-ARTICLES.pkl, written by
calibrate_find.py or bench_find.py), appending one row a judgement to
.bench-cache/find/judge-MODEL.jsonl (a rerun resumes). `report` chooses the lowest P(yes)
threshold at which the whole finder's false-found rate stays within budget on the calibration
half (even-numbered articles), and gives the held-out half's figures at it.

    OMP_NUM_THREADS=2 PYTHONPATH=. python scripts/calibrate_find_judge.py judge [--negatives 80]
    PYTHONPATH=. python scripts/calibrate_find_judge.py report

`seed` re-records the judgements tests/test_find_judged.py reads (the queries of
tests/data/recorded_find_judge.jsonl over the seed article, each one's closest span).
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_find import correct, decide  # noqa: E402
from bench_llm_judge import _load_judge  # noqa: E402
from calibrate_find import semantic_query  # noqa: E402

from rag.find.thresholds import Thresholds  # noqa: E402

CACHE = ROOT / ".bench-cache" / "find"


def _rejected(articles: int) -> list[dict]:
    """The semantic queries the model finds nothing for, with their closest span."""
    runs = pickle.loads((CACHE / f"runs-{articles}.pkl").read_bytes())
    thresholds = Thresholds()
    rows, found = [], []
    for query, candidates in runs:
        if not semantic_query(query):
            continue
        top = decide(candidates, thresholds)
        if top is not None:
            found.append({"split": query.split, "positive": query.source is not None,
                          "right": correct(query, top)})  # fmt: skip
            continue
        if not candidates.semantic or not candidates.semantic[0]:
            continue
        span = candidates.semantic[0][0].match
        rows.append(
            {
                "key": f"{query.kind}|{query.text}",
                "query": query.text,
                "kind": query.kind,
                "split": query.split,
                "positive": query.source is not None,
                "right": correct(query, (span.source, span.start, span.end)),
                "span": span.quote,
            }
        )
    return rows, found


def judge(args: argparse.Namespace) -> None:
    rows, _ = _rejected(args.articles)
    rng = random.Random(7)
    negatives = [r for r in rows if not r["positive"]]
    rng.shuffle(negatives)
    # Every rejected positive, and a sample of the negatives of each half (the written absent
    # sentences first: near-copies of real ones, the hardest to reject).
    chosen = [r for r in rows if r["positive"]]
    for split in (0, 1):
        side = sorted(
            (r for r in negatives if r["split"] == split),
            key=lambda r: not r["kind"].startswith("absent-"),
        )
        chosen += side[: args.negatives]
    chosen.sort(key=lambda r: r["split"])
    path = CACHE / f"judge-{args.model}.jsonl"
    done = set()
    if path.exists():
        done = {json.loads(line)["key"] for line in path.read_text().splitlines()}
    llm_judge = _load_judge(args.model, args.threads)
    with path.open("a", encoding="utf-8") as out:
        for row in chosen:
            if row["key"] in done:
                continue
            verdict = llm_judge.judge("states", row["query"], row["span"])
            row |= {"p": round(verdict.p_yes, 4), "seconds": round(verdict.seconds, 2)}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            print(f"{row['split']} {row['positive']:d} {row['right']:d} {row['p']:.3f} "
                  f"{row['seconds']:.1f}s {row['query'][:70]}", flush=True)  # fmt: skip


def report(args: argparse.Namespace) -> None:
    rows = [json.loads(line) for line in (CACHE / f"judge-{args.model}.jsonl").open()]
    _, found = _rejected(args.articles)
    all_rows, _ = _rejected(args.articles)
    judged = {r["key"] for r in rows}
    print(f"judged {len(rows)} of {len(all_rows)} rejected queries; "
          f"{statistics.median(r['seconds'] for r in rows):.1f} s a judgement median")  # fmt: skip

    def figures(split: int, threshold: float) -> tuple[int, int, int, int]:
        # Positives: found right by the model, or judged right at the threshold. Negatives:
        # found by the model (false), or judged at the threshold. Unjudged negatives of the
        # sample's half count at the judged ones' rate (they were sampled at random).
        model = [f for f in found if f["split"] == split]
        side = [r for r in rows if r["split"] == split]
        hits = sum(f["right"] for f in model if f["positive"])
        hits += sum(r["right"] and r["p"] >= threshold for r in side if r["positive"])
        positives = sum(f["positive"] for f in model) + sum(r["positive"] for r in all_rows
                                                            if r["split"] == split)  # fmt: skip
        negatives_judged = [r for r in side if not r["positive"]]
        negatives_all = [r for r in all_rows if r["split"] == split and not r["positive"]]
        model_false = sum(not f["positive"] for f in model)
        rate = statistics.mean(r["p"] >= threshold for r in negatives_judged)
        false = model_false + round(rate * len(negatives_all))
        return hits, positives, false, model_false + len(negatives_all)

    print("threshold | calibration hits | false-found | held-out hits | false-found")
    chosen = None
    for step in range(50, 100):
        t = step / 100
        ch, cp, cf, cn = figures(0, t)
        th, tp, tf, tn = figures(1, t)
        print(f"{t:.2f} | {ch}/{cp} | {cf}/{cn} ({100 * cf / cn:.1f}%) | {th}/{tp} | "
              f"{tf}/{tn} ({100 * tf / tn:.1f}%)")  # fmt: skip
        if chosen is None and cf / cn <= args.false_found:
            chosen = t
    print(f"chosen on the calibration half: {chosen}; model alone: {figures(0, 2.0)} / "
          f"{figures(1, 2.0)}; judged keys {len(judged)}")  # fmt: skip


RECORDED = ROOT / "tests" / "data" / "recorded_find_judge.jsonl"


def seed(args: argparse.Namespace) -> None:
    import shutil
    import tempfile

    from rag.pipeline import Assistant
    from rag.settings import Settings

    rows = [json.loads(line) for line in RECORDED.read_text(encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        shutil.copytree(ROOT / "seeds", corpus)
        settings = Settings(corpus_dir=corpus, index_dir=Path(scratch) / "index")
        assistant = Assistant(settings)
        assistant.index()
        finder = assistant.finder()
        llm_judge = _load_judge(args.model, args.threads)
        for row in rows:
            text, span = finder.candidates(row["query"]).closest()[0]
            row["span"] = span.quote[:60]
            row["p"] = round(llm_judge.judge("states", text, span.quote).p_yes, 3)
            print(f"{row['p']:.3f} {row['query'][:60]} | {row['span']}")
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    RECORDED.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("judge", "report", "seed"))
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--model", default="1.5b")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--negatives", type=int, default=80, help="per half")
    parser.add_argument("--false-found", type=float, default=0.03)
    args = parser.parse_args()
    {"judge": judge, "report": report, "seed": seed}[args.action](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
