"""Formats and OCR: OCR error rate and speed on scans made from a real PDF, retrieval on the
OCR'd text against the text layer, and each format read and answered from real content.

Scans: pages of shared/eval/real's French FAQ PDF rendered by PDFium at 200 dpi (grey), as a
clean scan and as a poor one (noise, 1.2° rotation), wrapped into an image-only PDF and read
by the product (rag.ingest.readers.read_pdf: render at 300 dpi, tesseract fra+eng). CER is the
Levenshtein distance between a page's OCR'd text and its text-layer text (both through the
same reader, whitespace collapsed) over the text layer's length. English: a PG essay set in
Helvetica by the same PDF writer the tests use, scanned the same way.
Formats: DOCX, ODT and PPTX written from maint-guide pages (python-docx, zip+XML,
python-pptx), an EPUB of the whole guide's XHTML, XLSX and CSV of this machine's dpkg status.

    PYTHONPATH=. python scripts/bench_formats.py [--write]   (--write: into BENCHMARKS.md)
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.eval.datasets import default_eval_dir  # noqa: E402
from rag.ingest.loader import load_document  # noqa: E402
from rag.ingest.readers import read_html, read_pdf  # noqa: E402
from rag.ingest.text import Extracted, collapse  # noqa: E402
from rag.locate import locate, unit_locator  # noqa: E402
from tests import format_files  # noqa: E402  (the PDF and EPUB writers the tests use)

REAL = default_eval_dir() / "real"
PDF = REAL / "corpus" / "debian-faq.fr.pdf"
GUIDE = REAL / "corpus" / "maint-guide"
SPINE = ["index", "start", "first", "modify", "dreq", "dother", "build", "checkit", "upload",
         "update", "advanced"]  # fmt: skip
# The dataset's questions whose gold is on a FAQ page, and four written for this run.
WRITTEN = [
    ("Comment prononce-t-on le nom Debian ?", 12),
    ("Peut-on utiliser apt sur une distribution basée sur Debian comme Ubuntu ?", 20),
    ("Quels lecteurs libres de vidéos SWF Debian contient-il ?", 30),
    ("Comment remplacer le programme login fourni par un paquet par un programme local ?", 60),
]
SECTION = "## Formats and OCR"


def _pages(extracted: Extracted) -> list[str]:
    bounds = [*extracted.pages, len(extracted.text)]
    return [collapse(extracted.text[a:b]) for a, b in itertools.pairwise(bounds)]


def subset_pdf(pages: list[int]) -> bytes:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(PDF.read_bytes())
    out = pdfium.PdfDocument.new()
    out.import_pages(source, [p - 1 for p in pages])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def scanned(pdf: bytes, poor: bool, seed: int = 7) -> bytes:
    from PIL import Image, ImageFilter

    images = format_files.page_images(pdf, dpi=200)
    if poor:
        rng = random.Random(seed)
        worse = []
        for image in images:
            noise = Image.effect_noise(image.size, 40).point(lambda v: (v - 128) // 2)
            noisy = Image.blend(image, noise.convert("L"), 0.18).filter(
                ImageFilter.GaussianBlur(0.6)
            )
            angle = rng.choice((-1.2, 1.2))
            worse.append(noisy.rotate(angle, fillcolor=255, resample=Image.Resampling.BICUBIC))
        images = worse
    return format_files.image_pdf(images, dpi=200)


def cer(reference: str, hypothesis: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(reference, hypothesis) / max(1, len(reference))


def measure_ocr(pdf: bytes, label: str) -> dict[str, Any]:
    reference = _pages(read_pdf(pdf))
    rows: dict[str, Any] = {"pages": len(reference)}
    for variant, poor in (("clean", False), ("noisy", True)):
        scan = scanned(pdf, poor)
        started = time.perf_counter()
        extracted = read_pdf(scan)
        seconds = time.perf_counter() - started
        ocr = _pages(extracted)
        rates = [cer(r, h) for r, h in zip(reference, ocr, strict=False)]
        rows[variant] = {
            "cer": sum(rates) / len(rates),
            "cer_max": max(rates),
            "s_per_page": seconds / len(reference),
            "ocr_pages": len(extracted.ocr_pages),
            "pdf": scan,
        }
        print(f"{label} {variant}: CER {rows[variant]['cer']:.3f}, {seconds / len(reference):.1f} s/page",
              file=sys.stderr)  # fmt: skip
    return rows


def _assistant(corpus: Path, index: Path) -> Any:
    from rag.pipeline import Assistant
    from rag.settings import Settings

    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=index, generator="extractive"))
    started = time.perf_counter()
    assistant.index()
    assistant.index_seconds = time.perf_counter() - started
    return assistant


def measure_recall(work: Path, pages: list[int], variants: dict[str, bytes]) -> dict[str, Any]:
    questions = [(q, pages.index(p) + 1) for q, p in _pdf_questions() + WRITTEN if p in pages]
    result: dict[str, Any] = {"questions": len(questions)}
    for name, pdf in variants.items():
        corpus = work / f"recall-{name}"
        corpus.mkdir()
        (corpus / "faq.pdf").write_bytes(pdf)
        assistant = _assistant(corpus, work / f"recall-{name}-index")
        document = assistant.snapshot().document_by_source("faq.pdf")
        hits = cited = 0
        for question, gold in questions:
            passages = assistant.retrieve(question, k=5)
            found = {
                page
                for p in passages
                for page in range(
                    locate(document, p.chunk.start, p.chunk.end)[0] or 0,
                    (locate(document, p.chunk.start, p.chunk.end)[1] or
                     locate(document, p.chunk.start, p.chunk.end)[0] or 0) + 1,
                )
            }  # fmt: skip
            hits += gold in found
            answer = assistant.ask(question)
            cited += bool(answer.citations) and answer.citations[0].page == gold
        result[name] = {"recall_at_5": hits / len(questions), "cited_page": cited / len(questions)}
    return result


def _pdf_questions() -> list[tuple[str, int]]:
    rows = [json.loads(line) for line in (REAL / "qa.jsonl").read_text().splitlines() if line]
    return [
        (row["q"], gold["page"])
        for row in rows
        for gold in row.get("gold", [])
        if gold["source"].endswith(".pdf")
    ]


def _guide(name: str) -> Extracted:
    return read_html((GUIDE / f"{name}.fr.html").read_bytes())


def _blocks(extracted: Extracted) -> list[tuple[int, str]]:
    """(heading level or 0, text) of each paragraph of a page read by the HTML reader."""
    heads = {at: path.count(" › ") + 1 for at, path in extracted.sections}
    blocks, at = [], 0
    for part in extracted.text.split("\n\n"):
        blocks.append((heads.get(at, 0), part))
        at += len(part) + 2
    return blocks


def write_docx(path: Path, extracted: Extracted) -> None:
    import docx

    document = docx.Document()
    for level, text in _blocks(extracted):
        if level:
            document.add_heading(text, level=min(level, 9))
        else:
            document.add_paragraph(text)
    document.save(str(path))


def write_odt(path: Path, extracted: Extracted) -> None:
    from xml.sax.saxutils import escape

    body = "".join(
        f'<text:h text:outline-level="{level}">{escape(text)}</text:h>'
        if level
        else f"<text:p>{escape(text)}</text:p>"
        for level, text in _blocks(extracted)
    )
    format_files.write_odt(path)  # the package around it, then its content replaced
    template = path.read_bytes()
    import zipfile

    with zipfile.ZipFile(io.BytesIO(template)) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "content.xml":
                head = data.split(b"<office:text>")[0]
                data = (
                    head
                    + f"<office:text>{body}</office:text></office:body></office:document-content>".encode()
                )
            new.writestr(item, data)


def write_pptx(path: Path, extracted: Extracted) -> None:
    import pptx

    deck = pptx.Presentation()
    slide = None
    for level, text in _blocks(extracted):
        if level or slide is None:
            slide = deck.slides.add_slide(deck.slide_layouts[1])
            slide.shapes.title.text = text if level else ""
            body = slide.placeholders[1].text_frame
            if level:
                continue
        body.add_paragraph().text = text
    deck.save(str(path))


def dpkg_rows() -> list[list[str]]:
    status = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\t${Version}\t${Section}\t${Installed-Size}\t${binary:Summary}\n"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [line.split("\t") for line in status.splitlines() if line]


def measure_formats(work: Path) -> list[dict[str, Any]]:
    import csv

    import openpyxl

    corpus = work / "formats"
    corpus.mkdir()
    chapters = [(name, (GUIDE / f"{name}.fr.html").read_text(encoding="utf-8")) for name in SPINE]
    _write_epub(corpus / "maint-guide.epub", chapters)
    write_docx(corpus / "first.docx", _guide("first"))
    write_odt(corpus / "checkit.odt", _guide("checkit"))
    write_pptx(corpus / "update.pptx", _guide("update"))
    header = ["Paquet", "Version", "Section", "Taille installée (ko)", "Description"]
    rows = dpkg_rows()
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Paquets")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(str(corpus / "paquets.xlsx"))
    with (corpus / "paquets.csv").open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *rows])
    tess = next(i for i, row in enumerate(rows) if row[0] == "tesseract-ocr")
    cases = {
        "maint-guide.epub": ("Comment initialiser le système chroot local de pbuilder ?", "sudo pbuilder create"),
        "first.docx": ("Quelles variables d'environnement faut-il définir pour que les outils de maintenance Debian reconnaissent votre nom et votre adresse électronique ?", "DEBEMAIL"),
        "checkit.odt": ("Que signifie l'étiquette W: dans la sortie de lintian ?", "W: pour avertissement"),
        "update.pptx": ("Comment convertir un fichier texte encodé en latin1 vers UTF-8 ?", "iconv -f latin1"),
        "paquets.xlsx": ("Quelle est la version du paquet tesseract-ocr ?", f"Paquet: tesseract-ocr; Version: {rows[tess][1]}"),
        "paquets.csv": ("Quelle section contient le paquet tesseract-ocr ?", f"Paquet: tesseract-ocr; Version: {rows[tess][1]}"),
    }  # fmt: skip
    results = []
    for source, (question, phrase) in cases.items():
        started = time.perf_counter()
        document = load_document(corpus / source, corpus)
        seconds = time.perf_counter() - started
        at = document.text.find(phrase)
        page, page_end, section = (
            locate(document, at, at + len(phrase)) if at >= 0 else (None, None, None)
        )
        expected = unit_locator(document, page, page_end) or section
        results.append({"source": source, "read_s": seconds, "characters": len(document.text),
                        "units": len(document.pages), "label": document.page_label,
                        "question": question, "expected": expected})  # fmt: skip
    assistant = _assistant(corpus, work / "formats-index")
    for row in results:
        answer = assistant.ask(row["question"])
        first = answer.citations[0] if answer.citations else None
        row["cited"] = (first.locator or first.section) if first else None
        row["cited_source"] = first.source if first else None
        row["right"] = (
            bool(first) and first.source == row["source"] and row["cited"] == row["expected"]
        )
    print(f"formats indexed in {assistant.index_seconds:.0f} s", file=sys.stderr)
    return results


def _write_epub(path: Path, chapters: list[tuple[str, str]]) -> None:
    """The guide's own XHTML pages as the chapters of an EPUB (the test writer's package)."""
    import zipfile

    format_files.write_epub(path, [(name, "x") for name, _ in chapters])
    template = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(template)) as old, zipfile.ZipFile(path, "w") as new:
        for index, item in enumerate(old.infolist()):
            data = old.read(item)
            if item.filename.startswith("OEBPS/text/c"):
                number = int(item.filename.removeprefix("OEBPS/text/c").removesuffix(".xhtml"))
                data = chapters[number][1].encode("utf-8")
            new.writestr(item, data)
            del index


def render(ocr_fr: dict[str, Any], ocr_en: dict[str, Any], recall: dict[str, Any],
           formats: list[dict[str, Any]], commit: str) -> str:  # fmt: skip
    lines = [
        SECTION, "",
        f"Measured at code {commit} by `scripts/bench_formats.py`, on a loaded 2-core machine "
        "(six sessions sharing it): times are upper bounds. Tesseract 5.3.0 (Debian), fra+eng.", "",
        "### OCR on scans made from real pages", "",
        "| pages | scan | CER mean | CER worst page | s / page (render 300 dpi + OCR) |",
        "|---|---|---|---|---|",
    ]  # fmt: skip
    for label, rows in (("French FAQ PDF", ocr_fr), ("English PG essay", ocr_en)):
        for variant in ("clean", "noisy"):
            r = rows[variant]
            lines.append(
                f"| {label}, {rows['pages']} pages | {variant} 200 dpi | {r['cer']:.3f} | "
                f"{r['cer_max']:.3f} | {r['s_per_page']:.1f} |"
            )
    lines += [
        "", "clean: rendered at 200 dpi, grey; noisy: + noise, blur 0.6 px, rotated ±1.2°. "
        "CER counts every character against the text layer read by the same reader, so the "
        "running heads the reader drops on one side and not the other count as errors too.", "",
        f"### Retrieval on the OCR'd text vs the text layer ({recall['questions']} questions)", "",
        "| text of the 13 FAQ pages | recall@5 (gold page among the top 5 passages) | "
        "first citation on the gold page |",
        "|---|---|---|",
    ]  # fmt: skip
    for name in ("text layer", "OCR clean", "OCR noisy"):
        r = recall[name]
        lines.append(f"| {name} | {r['recall_at_5']:.2f} | {r['cited_page']:.2f} |")
    lines += [
        "", "The questions: the dataset's 9 with a gold page in the FAQ PDF and 4 written for "
        "this run; the corpus holds only those 13 pages (one PDF), extractive generator.", "",
        "### Each format read and answered (one corpus of all six files)", "",
        "| file | units | characters | read s | question | expected locator | cited | right |",
        "|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for r in formats:
        lines.append(
            f"| {r['source']} | {r['units']} {r['label']}s | {r['characters']:,} | {r['read_s']:.2f} | "
            f"{r['question']} | {r['expected']} | {r['cited_source'] or '—'}: {r['cited'] or '—'} | "
            f"{'yes' if r['right'] else 'no'} |"
        )
    lines += [
        "", "EPUB: the 11 XHTML pages of the maint-guide as chapters; DOCX, ODT, PPTX: one "
        "maint-guide page each (headings as headings or slide titles); XLSX and CSV: this "
        "machine's dpkg status (package, version, section, size, summary), one row a package. "
        "The corpus repeats its content (the EPUB holds the DOCX's and PPTX's pages, the CSV the "
        "XLSX's rows): a 'no' here cited the same text in the other copy, with that copy's own "
        "right locator (chapter 3 is first.fr.html, chapter 10 update.fr.html, row 704 "
        "tesseract-ocr), so it shows the tie between copies, not a wrong locator.", "",
    ]  # fmt: skip
    return "\n".join(lines)


def write_section(markdown: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    if SECTION in text:
        start = text.index(SECTION)
        rest = text.find("\n## ", start + len(SECTION))
        text = text[:start] + markdown + (text[rest + 1 :] if rest >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + markdown
    path.write_text(text, encoding="utf-8")


def english_pdf() -> bytes:
    essays = sorted((default_eval_dir() / "public" / "tonic_validate_pg" / "essays").glob("*"))
    words = essays[0].read_text(encoding="utf-8").split()
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) > 78:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    pages = [lines[i : i + 34] for i in range(0, min(len(lines), 34 * 3), 34)]
    return format_files.text_pdf(pages, size=11)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="replace the section in BENCHMARKS.md")
    args = parser.parse_args()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    pages = sorted({p for _, p in _pdf_questions() + WRITTEN})
    text = subset_pdf(pages)
    ocr_fr = measure_ocr(text, "fr")
    ocr_en = measure_ocr(english_pdf(), "en")
    with tempfile.TemporaryDirectory(prefix="formats-bench-") as folder:
        work = Path(folder)
        variants = {"text layer": text, "OCR clean": ocr_fr["clean"]["pdf"],
                    "OCR noisy": ocr_fr["noisy"]["pdf"]}  # fmt: skip
        recall = measure_recall(work, pages, variants)
        formats = measure_formats(work)
    for rows in (ocr_fr, ocr_en):
        for variant in ("clean", "noisy"):
            rows[variant].pop("pdf")
    markdown = render(ocr_fr, ocr_en, recall, formats, commit)
    print(markdown)
    Path("/tmp/formats-bench.json").write_text(json.dumps(
        {"ocr_fr": ocr_fr, "ocr_en": ocr_en, "recall": recall, "formats": formats}, indent=1,
        ensure_ascii=False))  # fmt: skip
    if args.write:
        write_section(markdown)


if __name__ == "__main__":
    main()
