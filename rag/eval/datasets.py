"""Loaders turning the files in ``shared/eval`` into ``EvalDataset`` records; seeded sampling."""

from __future__ import annotations

import json
import os
import random
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from rag.eval.records import EvalDataset, EvalDocument, EvalQuestion, FindProbe, GoldPassage
from rag.eval.text import find_normalised
from rag.ingest import load_documents

REPO_ROOT = Path(__file__).resolve().parents[2]


def default_eval_dir() -> Path:
    """``<repo>/../shared/eval``, or ``$RAG_EVAL_DIR`` for a checkout elsewhere: the data is
    shared between worktrees and never copied in."""
    return Path(os.environ.get("RAG_EVAL_DIR") or REPO_ROOT.parent / "shared" / "eval")


def _slug(title: str) -> str:
    return re.sub(r"[^\w-]+", "_", title).strip("_") or "untitled"


def _squad_documents(
    data: dict[str, Any], language: str, prefix: str
) -> tuple[list[EvalDocument], dict[tuple[int, int], str]]:
    """One document per paragraph; identical paragraphs share one document (and one source)."""
    documents: list[EvalDocument] = []
    by_text: dict[str, str] = {}
    sources: dict[tuple[int, int], str] = {}
    for i, article in enumerate(data["data"]):
        title = re.sub(r"<[^>]+>", "", article.get("title", ""))  # PIAF titles hold <i> tags
        for j, paragraph in enumerate(article["paragraphs"]):
            # Two XQuAD paragraphs start with a byte-order mark, which the readers drop (it is
            # not text); keeping it would shift every offset of those documents by one.
            text = paragraph["context"].removeprefix("\ufeff")
            if text not in by_text:
                source = f"{prefix}/{i:03d}_{_slug(title)}/{j:03d}.txt"
                by_text[text] = source
                documents.append(EvalDocument(source, text, title.replace("_", " "), language))
            sources[(i, j)] = by_text[text]
    return documents, sources


def _distinct(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in texts if t.strip()))


def _load_squad(path: Path, name: str, language: str) -> EvalDataset:
    data = json.loads(path.read_text(encoding="utf-8"))
    documents, sources = _squad_documents(data, language, name)
    questions: list[EvalQuestion] = []
    for i, article in enumerate(data["data"]):
        for j, paragraph in enumerate(article["paragraphs"]):
            for qa in paragraph.get("qas", []):
                answerable = not qa.get("is_impossible", False)
                questions.append(
                    EvalQuestion(
                        id=str(qa.get("id", f"{name}-{i}-{j}-{len(questions)}")),
                        question=qa["question"],
                        language=language,
                        gold_sources=(sources[(i, j)],),
                        answers=_distinct(a["text"] for a in qa.get("answers", [])),
                        gold_quotes=_distinct(a["text"] for a in qa.get("answers", [])),
                        answerable=answerable,
                    )
                )
    return EvalDataset(name, tuple(documents), tuple(questions))


def load_piaf(eval_dir: Path) -> EvalDataset:
    """PIAF v1.0: French questions over 761 Wikipedia paragraphs, one document per paragraph."""
    return _load_squad(eval_dir / "public" / "piaf" / "piaf-v1.0.json", "piaf", "fr")


def load_squad2(eval_dir: Path) -> EvalDataset:
    """SQuAD 2.0 dev subset: half the questions have no answer in their paragraph."""
    path = eval_dir / "public" / "squad_v2_dev_subset" / "squad_v2_dev_subset.json"
    return _load_squad(path, "squad2", "en")


def load_spf(eval_dir: Path) -> EvalDataset:
    """service-public.fr pages (long administrative French) with the 105 questions asked of them."""
    return _load_squad(eval_dir / "public" / "piaf_ml_spf" / "spf_qr_test.json", "spf", "fr")


def load_xquad_en_es(eval_dir: Path) -> EvalDataset:
    """XQuAD: English questions over the Spanish translation of the paragraphs (same ids)."""
    folder = eval_dir / "public" / "xquad"
    english = json.loads((folder / "xquad.en.json").read_text(encoding="utf-8"))
    spanish = json.loads((folder / "xquad.es.json").read_text(encoding="utf-8"))
    documents, sources = _squad_documents(spanish, "es", "xquad-es")
    spanish_qas: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
    for i, article in enumerate(spanish["data"]):
        for j, paragraph in enumerate(article["paragraphs"]):
            for qa in paragraph["qas"]:
                spanish_qas[qa["id"]] = ((i, j), qa)
    questions = []
    for article in english["data"]:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                position, spanish_qa = spanish_qas[qa["id"]]
                answers = _distinct(a["text"] for a in spanish_qa["answers"])
                questions.append(
                    EvalQuestion(
                        id=qa["id"],
                        question=qa["question"],
                        language="en",
                        gold_sources=(sources[position],),
                        answers=answers,
                        gold_quotes=answers,
                    )
                )
    return EvalDataset("xquad-en-es", tuple(documents), tuple(questions))


def load_pg(eval_dir: Path) -> EvalDataset:
    """Paul Graham essays, one document each, with Q/A pairs naming the essay and a quote."""
    folder = eval_dir / "public" / "tonic_validate_pg"
    documents = tuple(
        EvalDocument(path.name, path.read_text(encoding="utf-8"), path.stem, "en")
        for path in sorted((folder / "essays").glob("*.txt"))
    )
    texts = {doc.source: doc.text for doc in documents}
    pairs = json.loads((folder / "qa_pairs.json").read_text(encoding="utf-8"))
    questions = []
    for n, pair in enumerate(pairs):
        essay = pair["essay"]
        # A few quotes are paraphrases; only verbatim ones can be checked against citations.
        verbatim = find_normalised(texts.get(essay, ""), pair["quote"]) is not None
        questions.append(
            EvalQuestion(
                id=f"pg{n:02d}",
                question=pair["question"],
                language="en",
                gold_sources=(essay,),
                answers=(pair["answer"],),
                gold_quotes=(pair["quote"],) if verbatim else (),
            )
        )
    return EvalDataset("pg", documents, tuple(questions))


def load_dev(eval_dir: Path, seeds_dir: Path | None = None) -> EvalDataset:
    """The project's own questions about the seed article (``seeds/``)."""
    seeds_dir = seeds_dir or REPO_ROOT / "seeds"
    documents = tuple(
        EvalDocument(path.name, path.read_text(encoding="utf-8"), path.stem, "fr")
        for path in sorted(seeds_dir.glob("*.txt"))
    )
    sources = tuple(doc.source for doc in documents)
    questions = []
    for line in (eval_dir / "dev_qa.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        questions.append(
            EvalQuestion(
                id=row["id"],
                question=row["q"],
                language=row["lang"],
                gold_sources=sources if row["answerable"] else (),
                keyword_groups=tuple(tuple(group) for group in row["keywords"]),
                gold_quotes=tuple(row["gold"]),
                answerable=row["answerable"],
            )
        )
    return EvalDataset("dev", documents, tuple(questions))


def _jsonl(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_real(eval_dir: Path, name: str = "real") -> EvalDataset:
    """A folder of real files (HTML pages, PDFs, Markdown) with the questions and lookup probes
    laid out as ``real/README.md`` says: ``real`` is French Debian documentation, ``real-en``
    English software documentation; the texts are what the product's readers extract."""
    folder = eval_dir / name
    corpus = folder / "corpus"
    with warnings.catch_warnings():
        # The guide's pages are XHTML, which bs4 warns about before reading them as HTML
        # (what the readers mean to do): noise here, and an error under pytest.
        warnings.filterwarnings("ignore", message="It looks like you're using an HTML parser")
        report = load_documents(corpus)
    if report.skipped:
        raise ValueError(f"unreadable file in {corpus}: {report.skipped[0]}")
    documents = tuple(EvalDocument(d.source, d.text, d.title, d.language) for d in report.documents)
    questions = []
    for row in _jsonl(folder / "qa.jsonl"):
        gold = tuple(GoldPassage(g["source"], g["phrase"], g.get("page")) for g in row["gold"])
        questions.append(
            EvalQuestion(
                id=row["id"],
                question=row["q"],
                language=row["lang"],
                gold_sources=tuple(dict.fromkeys(g.source for g in gold)),
                gold_quotes=tuple(g.phrase for g in gold),
                answerable=row["answerable"],
                gold_passages=gold,
                keyword_groups=tuple(tuple(group) for group in row["keywords"]),
            )
        )
    probes = tuple(
        FindProbe(row["id"], row["text"], row["found"], row["source"], row["phrase"])
        for row in _jsonl(folder / "find.jsonl")
    )
    return EvalDataset(name, documents, tuple(questions), probes, files_dir=corpus)


LOADERS: dict[str, Callable[[Path], EvalDataset]] = {
    "dev": load_dev,
    "piaf": load_piaf,
    "xquad-en-es": load_xquad_en_es,
    "squad2": load_squad2,
    "pg": load_pg,
    "spf": load_spf,
    "real": load_real,
    "real-en": lambda eval_dir: load_real(eval_dir, "real-en"),
}


def load_dataset(name: str, eval_dir: Path | None = None, limit: int | None = None) -> EvalDataset:
    """The named dataset, its questions sampled down to ``limit`` (the corpus is kept whole)."""
    if name not in LOADERS:
        raise ValueError(f"unknown dataset '{name}'; choose from {', '.join(LOADERS)}")
    dataset = LOADERS[name](eval_dir or default_eval_dir())
    if limit is None:
        return dataset
    return replace(dataset, questions=sample_questions(dataset.questions, limit))


def sample_questions(
    questions: tuple[EvalQuestion, ...], limit: int, seed: int = 0
) -> tuple[EvalQuestion, ...]:
    """A seeded sample of ``limit`` questions, in their original order, keeping the share of
    unanswerable ones (at least one of each kind when both exist and ``limit`` allows)."""
    if limit >= len(questions):
        return questions
    groups = [
        [i for i, q in enumerate(questions) if q.answerable],
        [i for i, q in enumerate(questions) if not q.answerable],
    ]
    n_unanswerable = round(limit * len(groups[1]) / len(questions))
    if groups[0] and groups[1] and limit >= 2:
        n_unanswerable = min(max(n_unanswerable, 1), limit - 1)
    rng = random.Random(seed)
    chosen = rng.sample(groups[0], limit - n_unanswerable) + rng.sample(groups[1], n_unanswerable)
    return tuple(questions[i] for i in sorted(chosen))


def restrict_corpus(dataset: EvalDataset, max_documents: int, seed: int = 0) -> EvalDataset:
    """Keep every gold document of the questions plus seeded distractors, up to ``max_documents``
    (never fewer than the gold ones): a smaller haystack for smoke runs."""
    gold = {s for q in dataset.questions for s in q.gold_sources}
    others = [d for d in dataset.documents if d.source not in gold]
    n_distractors = max(0, min(len(others), max_documents - len(gold)))
    keep = gold | {d.source for d in random.Random(seed).sample(others, n_distractors)}
    documents = tuple(d for d in dataset.documents if d.source in keep)
    probes = tuple(p for p in dataset.probes if not p.found or p.source in keep)
    return replace(dataset, documents=documents, probes=probes)
