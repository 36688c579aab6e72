"""Fit `rag find`'s semantic decision and write rag/find/find_model.json.

Queries: those of scripts/bench_find.py (PIAF sentences and their noisy variants, English XQuAD
sentences over the Spanish paragraphs, the written paraphrases, en<->fr translations and absent
sentences of scripts/data/find_paraphrases.jsonl, and held-out sentences of the same articles as
negatives). Fitted on the calibration half only (even-numbered articles, so every query about
one document is on one side); bench_find.py reports on the odd-numbered rest.

Each part of a query (one, or each sentence of a several-sentence one) is one row: its closest
span (rag.find.decision.SpanFeatures.closeness), labelled by whether it is where the query is
said. The threshold is the lowest at which at most ``--false-found`` of the calibration
negatives are found (by the whole finder, fuzzy stage included).

The written items marked ``"clause": true`` (a short query for one clause of a long sentence)
are for evaluation only, unless ``--with-clause-items``: fitted on them too, the model found
fewer held-out queries at the same false-found rate (docs/bench-find.md).

    OMP_NUM_THREADS=1 PYTHONPATH=. python scripts/calibrate_find.py [--articles 20]
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_find import WRITTEN, Query, build, correct  # noqa: E402

from rag.find.decision import MODEL_FILE, FindModel, SpanFeatures  # noqa: E402
from rag.find.finder import Candidates  # noqa: E402
from rag.find.thresholds import Thresholds  # noqa: E402

# Queries whose answer the semantic stage decides (noisy quotes are the fuzzy stage's).
SEMANTIC_KINDS = ("translation", "negative")
SEMANTIC_PREFIXES = ("paraphrase-", "translation-", "absent-")


def semantic_query(query: Query) -> bool:
    return query.kind in SEMANTIC_KINDS or query.kind.startswith(SEMANTIC_PREFIXES)


def clause_items() -> set[str]:
    """The queries of the written items marked ``clause`` (scripts/data/find_paraphrases.jsonl)."""
    texts: set[str] = set()
    for line in WRITTEN.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item.get("clause"):
            texts.update(
                item[k] for k in ("paraphrase", "translation", "absent", "absent_translation")
            )
    return texts


def rows(runs: list[tuple[Query, Candidates]]) -> tuple[list[list[float]], list[int]]:
    """One row per query part: its closest span, labelled by whether it is where the query is
    said (the other spans of a found query are near-misses of the same query, not data)."""
    features: list[list[float]] = []
    labels: list[int] = []
    for query, candidates in runs:
        for part in candidates.semantic:
            if part:
                span = part[0]
                features.append(list(span.features.vector().values()))
                where = (span.match.source, span.match.start, span.match.end)
                labels.append(int(query.source is not None and correct(query, where)))
    return features, labels


def outcome(runs: list[tuple[Query, Candidates]], thresholds: Thresholds) -> tuple[float, float]:
    """(hit rate of the semantic positives, false-found rate of the negatives)."""
    from bench_find import decide

    hits = [correct(q, decide(c, thresholds)) for q, c in runs if q.source is not None]
    false = [not correct(q, decide(c, thresholds)) for q, c in runs if q.source is None]
    return statistics.mean(hits), statistics.mean(false)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20, help="articles per dataset")
    parser.add_argument("--false-found", type=float, default=0.03, help="on the calibration half")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument(
        "--reuse", action="store_true", help="the candidates of the last run (same code, data)"
    )
    parser.add_argument(
        "--with-clause-items", action="store_true", help="also fit on the clause-level items"
    )
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    cache = ROOT / ".bench-cache" / "find" / f"runs-{args.articles}.pkl"
    if args.reuse and cache.exists():
        every = pickle.loads(cache.read_bytes())
    else:
        finder, queries, _ = build(args.articles)
        every = [(q, finder.candidates(q.text)) for q in queries]
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(every))
    held = set() if args.with_clause_items else clause_items()
    runs = [(q, c) for q, c in every if q.split == 0 and semantic_query(q) and q.text not in held]
    x, y = rows(runs)
    names = list(SpanFeatures(0.0, 0.0, 0.0, False, 0, False, False).vector())
    # Nearly unregularised: the features' scales differ (a lead of 0.05 is large) and there
    # are seven weights for ~200 rows.
    fit = LogisticRegression(C=1e4, max_iter=10000).fit(x, y)
    weights = {n: round(float(w), 4) for n, w in zip(names, fit.coef_[0], strict=True)}
    bias = round(float(fit.intercept_[0]), 4)

    chosen = 0.99
    for step in range(5, 100):
        model = FindModel(weights, bias, step / 100)
        hit, false = outcome(runs, Thresholds(semantic=model, semantic_same_language=step / 100))
        print(f"threshold {step / 100:.2f}: hits {100 * hit:.1f}%, false-found {100 * false:.1f}%")
        if false <= args.false_found:
            chosen = step / 100
            break
    # Then the threshold of spans in the query's language alone, as low as the same budget
    # allows: under the one threshold, more of their paraphrases lay below it than negatives.
    model = FindModel(weights, bias, chosen)
    same_language = chosen
    for step in range(5, round(100 * chosen)):
        hit, false = outcome(runs, Thresholds(semantic=model, semantic_same_language=step / 100))
        if false <= args.false_found:
            same_language = step / 100
            print(
                f"same-language threshold {same_language:.2f}: hits {100 * hit:.1f}%, "
                f"false-found {100 * false:.1f}%"
            )
            break
    positives = sum(q.source is not None for q, _ in runs)
    data = {
        "about": "rag find's semantic decision: logistic regression over "
        "rag.find.decision.SpanFeatures.vector; fitted by scripts/calibrate_find.py",
        "split": "calibration half of scripts/bench_find.py: even-numbered articles of PIAF, "
        "XQuAD and find_paraphrases.jsonl (every query about one document on one side); "
        "figures are on the odd-numbered rest",
        "data": {
            "queries": len(runs),
            "positives": positives,
            "negatives": len(runs) - positives,
            "spans": len(y),
            "articles": args.articles,
        },
        "operating_point": f"lowest threshold with at most {args.false_found:.0%} of the "
        "calibration negatives found; then the lowest for spans in the query's language",
        "weights": weights,
        "bias": bias,
        "threshold": chosen,
        "threshold_same_language": same_language,
    }
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(data, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
