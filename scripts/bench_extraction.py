"""Extraction quality on the real corpus (shared/eval/real): earlier readers against the current
ones, measured with rag.ingest.health.

Variants: for the PDF, pypdf (the reader of main up to 5c37ca1) and plain pypdfium2 (how the
dataset's phrases were checked) as baselines here, and `rag.ingest` as it is now; for the HTML
pages, BeautifulSoup ``get_text("\\n")`` + tidy (main up to 5c37ca1) and `rag.ingest` now.
Every variant's text is split into sentences by the product's chunker, so the figures compare
readers. "gold phrases" counts the dataset's phrases (qa and find) found in the text of their
source, whitespace deleted on both sides (the README's rule).

    PYTHONPATH=. python scripts/bench_extraction.py [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.chunking import chunk_document  # noqa: E402
from rag.eval.datasets import default_eval_dir  # noqa: E402
from rag.eval.real_scoring import squeeze  # noqa: E402
from rag.ingest.health import garbled_share, one_word_sentence_share  # noqa: E402
from rag.ingest.language import detect_document_language  # noqa: E402
from rag.ingest.loader import load_document, text_hash  # noqa: E402
from rag.types import Document  # noqa: E402

Extract = Callable[[Path, Path], str]  # (file, corpus root) -> text

_BLANK_RUNS = re.compile(r"\n\s*\n\s*")
_LAYOUT_SPACES = re.compile(r"[ \t\r\f\v]+")


def tidy_whitespace(text: str) -> str:
    """main's whitespace tidying up to 5c37ca1, part of the old readers measured here."""
    text = _LAYOUT_SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def old_html(path: Path, root: Path) -> str:
    """main's HTML reader up to 5c37ca1: every tag boundary becomes a line break."""
    from bs4 import BeautifulSoup

    from rag.ingest.readers import decode_text

    with warnings.catch_warnings():  # the pages are XHTML: bs4 warns, then reads them fine
        warnings.filterwarnings("ignore", message="It looks like you're using an HTML parser")
        soup = BeautifulSoup(decode_text(path.read_bytes()), "lxml")
    for tag in soup(["script", "style", "noscript", "template", "svg"]):
        tag.decompose()
    if soup.head is not None:
        soup.head.decompose()
    return tidy_whitespace(soup.get_text("\n"))


def pypdf_text(path: Path, root: Path) -> str:
    """main's PDF reader up to 5c37ca1."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return tidy_whitespace("\n\n".join(page.extract_text() or "" for page in reader.pages))


def pdfium_text(path: Path, root: Path) -> str:
    """Plain PDFium text, page by page, as the dataset's phrases were checked."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path.read_bytes())
    try:
        pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
    return tidy_whitespace("\n\n".join(pages))


def current(path: Path, root: Path) -> str:
    """Whatever `rag index` extracts today."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="It looks like you're using an HTML parser")
        return load_document(path, root).text


def gold_phrases(eval_dir: Path) -> dict[str, list[str]]:
    """Every phrase of qa.jsonl and find.jsonl, by source."""
    phrases: dict[str, list[str]] = {}
    for name in ("qa.jsonl", "find.jsonl"):
        for line in (eval_dir / "real" / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            entries = row.get("gold", []) if name == "qa.jsonl" else [row]
            for entry in entries:
                if entry.get("phrase"):
                    phrases.setdefault(entry["source"], []).append(entry["phrase"])
    return phrases


def measure(
    files: list[Path], root: Path, extract: Extract, phrases: dict[str, list[str]]
) -> dict[str, Any]:
    """Totals over the files: the shares are over all words and all sentences of the variant
    (the documents are measured as one text, blank lines apart, their spans shifted)."""
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = found = expected = 0
    for path in files:
        text = extract(path, root)
        source = path.relative_to(root).as_posix()
        document = Document(source, text, text_hash(text), source, detect_document_language(text))
        document, _ = chunk_document(document, 1000)
        spans += [(start + offset, end + offset) for start, end in document.sentences]
        texts.append(text)
        offset += len(text) + 2
        squeezed = squeeze(text)
        wanted = phrases.get(source, [])
        expected += len(wanted)
        found += sum(squeeze(p) in squeezed for p in wanted)
    joined = "\n\n".join(texts)
    return {
        "documents": len(files),
        "characters": sum(len(t) for t in texts),
        "sentences_per_document": round(len(spans) / len(files), 1) if files else 0,
        "garbled_share": garbled_share(joined),
        "one_word_sentence_share": one_word_sentence_share(joined, spans),
        "gold_phrases_found": found,
        "gold_phrases": expected,
    }


def measure_extraction(eval_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    """One row per (format, reader) variant."""
    eval_dir = eval_dir or default_eval_dir()
    root = eval_dir / "real" / "corpus"
    phrases = gold_phrases(eval_dir)
    pdfs = sorted(root.rglob("*.pdf"))
    pages = sorted(root.rglob("*.html"))
    variants: dict[str, tuple[list[Path], Extract]] = {
        "PDF: pypdf (main up to 5c37ca1)": (pdfs, pypdf_text),
        "PDF: pypdfium2, plain text": (pdfs, pdfium_text),
        "PDF: rag.ingest now": (pdfs, current),
        'HTML: get_text("\\n") + tidy (main up to 5c37ca1)': (pages, old_html),
        "HTML: rag.ingest now": (pages, current),
    }
    return {
        name: measure(files, root, extract, phrases) for name, (files, extract) in variants.items()
    }


COLUMNS = ("documents", "characters", "sentences_per_document", "garbled_share",
           "one_word_sentence_share", "gold phrases found")  # fmt: skip


def render(rows: dict[str, dict[str, Any]]) -> str:
    lines = ["| reader | " + " | ".join(COLUMNS) + " |", "|---|" + "---:|" * len(COLUMNS)]
    for name, row in rows.items():
        cells = [
            f"{row['documents']}",
            f"{row['characters']:,}",
            f"{row['sentences_per_document']:,}",
            f"{row['garbled_share']:.2%}",
            f"{row['one_word_sentence_share']:.1%}",
            f"{row['gold_phrases_found']}/{row['gold_phrases']}",
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--eval-dir", type=Path, help="default <repo>/../shared/eval")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    rows = measure_extraction(args.eval_dir)
    print(json.dumps(rows, indent=1) if args.json else render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
