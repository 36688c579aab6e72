"""Check a real-documents question folder (``<eval_dir>/<name>/``, as ``rag eval --dataset real``
or ``real-en`` reads it) against the text the product's readers extract.

For each gold entry of ``qa.jsonl`` and each found probe of ``find.jsonl``: the phrase has 4 to
12 words, has no typographic quote, occurs in its source's text (whitespace runs squeezed to one
space on both sides) and, for a paged source, on the gold page. Find phrases must occur once in
the whole corpus. Prints one line per problem and exits 1 if there is any.

Usage: python scripts/check_real_gold.py /tmp/untuned [real-en]
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from pathlib import Path

from rag.ingest.loader import load_documents

TYPOGRAPHIC = "\u2018\u2019\u201c\u201d\u00a0"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_texts(document) -> list[str]:
    starts = list(document.pages)
    if not starts:
        return []
    ends = [*starts[1:], len(document.text)]
    return [document.text[s:e] for s, e in zip(starts, ends, strict=True)]


def check_phrase(where: str, source: str, phrase: str, page: int | None, docs: dict) -> list[str]:
    problems = []
    words = len(phrase.split())
    if not 4 <= words <= 12:
        problems.append(f"{where}: phrase has {words} words")
    if any(c in phrase for c in TYPOGRAPHIC):
        problems.append(f"{where}: phrase has a typographic quote or NBSP")
    document = docs.get(source)
    if document is None:
        return [*problems, f"{where}: no source {source}"]
    if squeeze(phrase) not in squeeze(document.text):
        problems.append(f"{where}: phrase not in {source}: {phrase!r}")
    pages = page_texts(document)
    if pages and page is None:
        problems.append(f"{where}: {source} has pages but the gold gives none")
    if page is not None:
        if not pages or not 1 <= page <= len(pages):
            problems.append(f"{where}: {source} has no page {page}")
        elif squeeze(phrase) not in squeeze(pages[page - 1]):
            found = [n for n, t in enumerate(pages, 1) if squeeze(phrase) in squeeze(t)]
            problems.append(f"{where}: phrase not on page {page} of {source} (on {found})")
    return problems


def main(argv: list[str]) -> int:
    eval_dir = Path(argv[1])
    name = argv[2] if len(argv) > 2 else "real-en"
    folder = eval_dir / name
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="It looks like you're using an HTML parser")
        report = load_documents(folder / "corpus")
    docs = {d.source: d for d in report.documents}
    problems = [f"unreadable: {s}" for s in report.skipped]
    rows = [json.loads(line) for line in (folder / "qa.jsonl").read_text().splitlines() if line]
    for row in rows:
        if row["answerable"] != bool(row["gold"]) or row["answerable"] != bool(row["keywords"]):
            problems.append(f"{row['id']}: answerable={row['answerable']} but gold/keywords differ")
        for gold in row["gold"]:
            problems += check_phrase(
                row["id"], gold["source"], gold["phrase"], gold.get("page"), docs
            )
    corpus = [squeeze(d.text) for d in report.documents]
    probes = [json.loads(line) for line in (folder / "find.jsonl").read_text().splitlines() if line]
    for probe in probes:
        if not probe["found"]:
            continue
        phrase = probe["phrase"]
        problems += check_phrase(probe["id"], probe["source"], phrase, probe.get("page"), docs)
        count = sum(text.count(squeeze(phrase)) for text in corpus)
        if count != 1:
            problems.append(f"{probe['id']}: phrase occurs {count} times in the corpus")
    chars = sum(len(d.text) for d in report.documents)
    print(f"{len(docs)} files, {chars} characters; {len(rows)} questions, {len(probes)} probes")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
