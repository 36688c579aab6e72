"""Glued words in PDFs before and after rag.ingest.pdf_kerning, and what it costs to read them.

"Before" is ``read_pdf(data, mend_kerning=False)`` (PDFium's text as is), "after" the product's
``read_pdf``. Per PDF: ``garbled_share`` (rag.ingest.health), and, when poppler's pdftotext is
installed, the words glued or cut against its reading: a glued word is one of ours that
pdftotext reads as two consecutive words, a cut word one of pdftotext's that we read as two.
Reading time is the best of ``--repeat`` runs. ``--groff`` typesets man pages to PDF first.

    PYTHONPATH=. python scripts/bench_pdf_spaces.py [--groff ls,bash] [PDF or .pdf.gz ...]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.ingest.health import garbled_share  # noqa: E402
from rag.ingest.pdf import read_pdf  # noqa: E402

_WORD = re.compile(r"[^\W\d_]+")
# pdftotext keeps a line-end hyphen: join the halves as read_pdf does.
_LINE_HYPHEN = re.compile(r"-\n\s*")


def reference_words(path: Path) -> list[str] | None:
    """pdftotext's words, or None without poppler-utils."""
    if shutil.which("pdftotext") is None:
        return None
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True
    ).stdout
    return _WORD.findall(_LINE_HYPHEN.sub("", text))


def glued_and_cut(text: str, reference: list[str]) -> tuple[int, int]:
    """Words of ``text`` that are two of ``reference`` run together, and the reverse."""
    ours = _WORD.findall(text)
    mine, theirs = Counter(ours), Counter(reference)
    reference_pairs = {a + b for a, b in itertools.pairwise(reference)}
    our_pairs = {a + b for a, b in itertools.pairwise(ours)}
    glued = sum(n for word, n in mine.items() if word not in theirs and word in reference_pairs)
    cut = sum(n for word, n in theirs.items() if word not in mine and word in our_pairs)
    return glued, cut


def best_time(data: bytes, mend: bool, repeat: int) -> tuple[float, str]:
    best, text = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        text = read_pdf(data, mend_kerning=mend).text
        best = min(best, time.perf_counter() - start)
    return best, text


def typeset(pages: list[str], folder: Path) -> list[Path]:
    """Man pages typeset by groff -Tpdf into ``folder`` (those groff can find)."""
    made = []
    for name in pages:
        source = next(iter(Path("/usr/share/man/man1").glob(f"{name}.1*")), None)
        if source is None:
            continue
        roff = (
            gzip.decompress(source.read_bytes()) if source.suffix == ".gz" else source.read_bytes()
        )
        pdf = subprocess.run(["groff", "-man", "-Tpdf"], input=roff, capture_output=True).stdout
        if pdf.startswith(b"%PDF"):
            made.append(folder / f"{name}.1 (groff).pdf")
            made[-1].write_bytes(pdf)
    return made


def unzipped(path: Path, folder: Path) -> Path:
    """``path`` itself, or a .pdf.gz (as /usr/share/doc ships them) decompressed into ``folder``."""
    if path.suffix != ".gz":
        return path
    plain = folder / path.with_suffix("").name
    plain.write_bytes(gzip.decompress(path.read_bytes()))
    return plain


def row(path: Path, repeat: int) -> str:
    data = path.read_bytes()
    before_s, before = best_time(data, False, repeat)
    after_s, after = best_time(data, True, repeat)
    words = len(_WORD.findall(after))
    cells = [
        path.name,
        f"{words:,}",
        f"{garbled_share(before):.3%} → {garbled_share(after):.3%}",
    ]
    reference = reference_words(path)
    if reference is None:
        cells += ["–", "–"]
    else:
        (glued_before, cut_before), (glued_after, cut_after) = (
            glued_and_cut(before, reference),
            glued_and_cut(after, reference),
        )
        cells += [f"{glued_before} → {glued_after}", f"{cut_before} → {cut_after}"]
    cells.append(f"{before_s:.2f} → {after_s:.2f}")
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDF files (.pdf or .pdf.gz)")
    parser.add_argument("--groff", default="", help="man pages to typeset first: ls,bash")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = [
            *typeset([n for n in args.groff.split(",") if n], Path(folder)),
            *(unzipped(p, Path(folder)) for p in args.pdfs),
        ]
        print("| PDF | words | garbled share | glued words | cut words | read (s) |")
        print("|---|---:|---:|---:|---:|---:|")
        for path in paths:
            print(row(path, args.repeat), flush=True)


if __name__ == "__main__":
    main()
