"""Measure the bundled LLM as a yes/no second stage (rag.generation.judge), for gain and seconds.

Usage:
  python scripts/bench_llm_judge.py verify [--per-kind 5] [--model 0.5b] [--threads 1]
  python scripts/bench_llm_judge.py answerability --rows ROWS [--per-dataset 20] [--model 0.5b]
  python scripts/bench_llm_judge.py report --out DIR

``verify``: a sample per kind of the calibration and held-out claims of ``rag eval --dataset
verify``; each goes through the product's verifier (its verdict, its relevance check and the quote
it chose) and the judge is asked "does the passage say what the statement says?" over that quote
only, and "does the passage give the answer to the question?" (question + claim) for the kinds
labelled for relevance. ``answerability``: a random sample of the held-out (and, for the
threshold, training) rows of ``scripts/calibrate_answerability.py collect``; the judge is asked
over the two best evidence sentences, for every sampled question (a French one also with the
French instruction); the report counts it only where the first stage answers (it can only turn
an answer into a decline). Rows are appended to DIR/*.jsonl as they are judged (a rerun
resumes); ``report`` prints the before/after figures, thresholds chosen on the calibration half.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RAG_GENERATOR", "extractive")

MODELS = Path.home() / ".local/share/rag-assistant/models"
OUT = Path("/tmp/llm-out")
EVIDENCE_SENTENCES = 2


def _order(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _load_judge(model: str, threads: int) -> Any:
    from rag.generation.judge import Judge
    from rag.generation.llamacpp import _load

    path = MODELS / f"qwen2.5-coder-{model}-instruct-q4_k_m.gguf"
    return Judge(_load(str(path), 2048, threads))


def _done(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    return {json.loads(line)["key"] for line in path.read_text("utf-8").splitlines()}


def _load_average() -> float:
    return os.getloadavg()[0]


def verify(out: Path, per_kind: int, model: str, threads: int, ask_answers: bool = True) -> None:
    from rag.eval.verify_eval import cached_embed, load_items
    from rag.generation.cite import passage_quotes, verify_answer
    from rag.generation.llm_check import closeness
    from rag.generation.relevance import addresses
    from rag.types import Chunk, Passage

    judge = _load_judge(model, threads)
    embed = cached_embed(ROOT / ".bench-cache")
    path = out / f"verify-{model}.jsonl"
    done = _done(path)
    chosen: list[Any] = []
    for split in ("calibration", "heldout"):
        by_kind: dict[str, list[Any]] = {}
        for item in sorted(load_items(split), key=lambda i: _order(i.id)):
            by_kind.setdefault(item.kind, []).append(item)
        chosen += [i for items in by_kind.values() for i in items[:per_kind]]
    # The claims on the seed, whatever their split.
    chosen += [i for i in load_items("all") if i.origin == "seed" and "Lin" in i.claim]
    # Interleaved by kind so that a run stopped early still covers every kind; a seed claim
    # the sample already holds is judged once.
    chosen = list({f"{i.split}/{i.id}": i for i in chosen}.values())
    chosen.sort(key=lambda i: (_order(i.id)[:2], i.id))
    with path.open("a", encoding="utf-8") as handle:
        for item in chosen:
            key = f"{item.split}/{item.id}"
            if key in done:
                continue
            passage = Passage(Chunk("passage.txt", "p", 0, 0, len(item.passage), item.passage), 1.0)
            verified = verify_answer(f"{item.claim} [1]", (passage,), embed)
            claims = [s for s in verified.sentences if s.citations or not s.supported]
            order = ("unsupported", "partly", "supported")
            verdict = min(
                [s.verdict or "supported" for s in claims] or ["unsupported"], key=order.index
            )
            quotes = [c.quote for c in verified.citations]
            others = [q.text for q in passage_quotes((passage,))[1]]
            relevant = addresses(item.question, item.claim, quotes, embed, others).addresses
            quote = " ".join(quotes) or item.passage[:400]
            states = judge.judge("states", item.claim, quote)
            # What the product can read before asking the judge (rag.generation.llm_check's
            # choice of the sentences worth judging): the claim's cosine to its quote(s), and
            # whether the two are written in different languages.
            similarity, crosslingual = closeness(item.claim, quotes, embed)
            row: dict[str, Any] = {
                "key": key,
                "kind": item.kind,
                "split": item.split,
                "origin": item.origin,
                "supported": item.supported,
                "answers": item.answers,
                "verdict": verdict,
                "addresses": relevant,
                "p_states": round(states.p_yes, 4),
                "s_states": round(states.seconds, 2),
                "fresh_states": states.fresh_tokens,
                "similarity": round(similarity, 4),
                "crosslingual": crosslingual,
                "load": round(_load_average(), 1),
                "claim": item.claim,
                "quote": quote,
            }
            if item.answers is not None and ask_answers:
                answers = judge.judge("answers", item.question, item.claim)
                row |= {
                    "p_answers": round(answers.p_yes, 4),
                    "s_answers": round(answers.seconds, 2),
                    "fresh_answers": answers.fresh_tokens,
                }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            handle.flush()
            print(f"{key} {item.kind} p={states.p_yes:.2f} {states.seconds:.1f}s", flush=True)


def collect(rows_path: Path, per_dataset: int, names: list[str]) -> None:
    """calibrate_answerability.py's rows, for a sample of its questions only (same corpora, same
    left-out documents, same split): half answerable, half not, per split."""
    from dataclasses import replace

    sys.path.insert(0, str(ROOT / "scripts"))
    import calibrate_answerability as cal

    from rag.eval.datasets import load_dataset
    from rag.eval.embedding_cache import CachedEmbedder, EmbeddingCache
    from rag.eval.systems import build_workspace
    from rag.settings import Settings

    embedder = CachedEmbedder(EmbeddingCache(cal.CACHE / "embeddings"))
    rows_path.parent.mkdir(parents=True, exist_ok=True)
    with rows_path.open("a", encoding="utf-8") as out:
        for name in names:
            dataset = cal._restricted(load_dataset(name))
            removed = cal._left_out(dataset)
            corpus = replace(
                dataset, documents=tuple(d for d in dataset.documents if d.source not in removed)
            )
            picked = []
            for split, n in (("train", per_dataset // 2), ("test", per_dataset), ("dev", 12)):
                for answerable in (True, False):
                    pool = sorted(
                        (
                            q
                            for q in dataset.questions
                            if cal.split_of(name, q.gold_sources[0] if q.gold_sources else "")
                            == split
                            and (q.answerable and q.gold_sources[0] not in removed) is answerable
                        ),
                        key=lambda q: _order(q.id),
                    )
                    picked += pool[: n if split == "dev" else (n + 1) // 2]
            assistant = build_workspace(corpus, Settings(), cal.CACHE, embedder).assistant
            snapshot = assistant.snapshot()
            for q in picked:
                row = cal.evidence_row(assistant, snapshot, name, q, removed)
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                out.flush()
            print(f"{name}: {len(picked)} questions", file=sys.stderr, flush=True)


def _sizes(spec: str) -> tuple[int, dict[str, int]]:
    """``--per-dataset``: "20" for every data set, or "40,piaf=80" with one or more overrides."""
    default, overrides = 20, {}
    for part in filter(None, spec.split(",")):
        name, _, n = part.rpartition("=")
        if name:
            overrides[name] = int(n)
        else:
            default = int(n)
    return default, overrides


def answerability(out: Path, rows_path: Path, per_dataset: str, model: str, threads: int) -> None:
    """Every sampled row is judged, whether the first stage answers it or not (so that a
    changed first stage or band is measured on the same judgements); a French question is
    judged twice, with the English instruction ("p") and the French one ("p_fr")."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from calibrate_answerability import read_rows, row_features

    from rag.ingest.language import detect_question_language
    from rag.retrieval import answerability as ans

    judge = _load_judge(model, threads)
    path = out / f"answerability-{model}.jsonl"
    done = _done(path)
    rows = list(read_rows(rows_path))
    threshold = ans.threshold()
    default, overrides = _sizes(per_dataset)
    chosen = []
    for dataset in sorted({r["dataset"] for r in rows}):
        per = overrides.get(dataset, default)
        for split, n in (("train", per // 2), ("test", per), ("dev", 12)):
            pool = [r for r in rows if r["dataset"] == dataset and r["split"] == split]
            # Half answerable, half not, where the data has both: the refusal side is the point.
            for answerable in (True, False):
                side = sorted(
                    (r for r in pool if r["answerable"] is answerable),
                    key=lambda r: _order(r["id"]),
                )
                chosen += side[: (n + 1) // 2 if split != "dev" else n]
    # Interleaved so that a run stopped early still covers every data set and split.
    chosen.sort(key=lambda r: (_order(r["id"])[:2], r["id"]))
    with path.open("a", encoding="utf-8") as handle:
        for r in chosen:
            key = f"{r['dataset']}/{r['id']}"
            if key in done:
                continue
            f = row_features(r)
            score = ans.confidence(f) if f is not None else 0.0
            row: dict[str, Any] = {
                "key": key,
                "dataset": r["dataset"],
                "split": r["split"],
                "answerable": r["answerable"],
                "kind": r.get("kind", ""),
                "score": round(score, 4),
                "accepted": score >= threshold,
                "load": round(_load_average(), 1),
            }
            if r["evidence"]:
                evidence = " ".join(e[4] for e in r["evidence"][:EVIDENCE_SENTENCES])
                j = judge.judge("answers", r["question"], evidence)
                row |= {"p": round(j.p_yes, 4), "s": round(j.seconds, 2), "fresh": j.fresh_tokens}
                line = f"{key} answerable={r['answerable']} p={j.p_yes:.2f} {j.seconds:.1f}s"
                if detect_question_language(r["question"]) == "fr":
                    fr = judge.judge("answers_fr", r["question"], evidence)
                    row |= {
                        "p_fr": round(fr.p_yes, 4),
                        "s_fr": round(fr.seconds, 2),
                        "fresh_fr": fr.fresh_tokens,
                    }
                    line += f" p_fr={fr.p_yes:.2f} {fr.seconds:.1f}s"
                print(line, flush=True)
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            handle.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["verify", "collect", "answerability", "report"])
    parser.add_argument("--datasets", default="dev,xquad-en-es,piaf,squad2")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--rows", type=Path)
    parser.add_argument("--per-kind", type=int, default=5)
    parser.add_argument(
        "--per-dataset", default="20", help='"20", or "40,piaf=80": questions per data set'
    )
    parser.add_argument("--model", default="0.5b", choices=("0.5b", "1.5b"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--states-only", action="store_true", help="verify: skip the relevance question"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if args.step == "verify":
        verify(args.out, args.per_kind, args.model, args.threads, not args.states_only)
    elif args.step == "collect":
        collect(args.rows, _sizes(args.per_dataset)[0], args.datasets.split(","))
    elif args.step == "answerability":
        answerability(args.out, args.rows, args.per_dataset, args.model, args.threads)
    else:
        from bench_llm_judge_report import report

        report(args.out, args.rows)
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
