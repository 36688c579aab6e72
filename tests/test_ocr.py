"""Scans: pages without a text layer read by Tesseract, marked OCR'd in citations and in the
health report; without Tesseract the other pages are indexed and the scan is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from rag.ingest import ocr
from rag.ingest.health import document_health
from rag.ingest.loader import load_document
from rag.ingest.readers import UnreadableFile, read_image, read_pdf
from rag.locate import where_label
from tests import format_files

needs_tesseract = pytest.mark.skipif(
    ocr.tesseract() is None, reason="tesseract-ocr is not installed (scripts/ensure_tesseract.sh)"
)
SCANNED = [
    "Le serveur de courrier se configure dans le fichier main.cf.",
    "Après chaque modification, il faut recharger le service avec",
    "la commande systemctl reload postfix. Les journaux sont écrits",
    "dans /var/log/mail.log et gardés pendant quatre semaines.",
]


def _scan(lines: list[str]) -> bytes:
    return format_files.image_pdf(format_files.page_images(format_files.text_pdf([lines])))


def _mixed() -> bytes:
    return format_files.merged_pdf(
        [
            format_files.text_pdf([["La première page a une couche de texte."]]),
            _scan(SCANNED),
            format_files.text_pdf([["La troisième page aussi."]]),
            _scan(["Quatrième page : la sauvegarde part chaque nuit vers le serveur distant."]),
        ]
    )


@needs_tesseract
def test_scanned_french_pdf_is_answered_with_an_ocr_marked_page(tmp_path: Path, embedder):
    from rag.pipeline import Assistant
    from rag.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    scan = _scan(SCANNED)
    assert read_pdf(format_files.text_pdf([SCANNED])).ocr_pages == ()
    (corpus / "courrier-scan.pdf").write_bytes(scan)
    assistant = Assistant(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=embedder
    )
    report = assistant.index()
    assert not report.skipped
    answer = assistant.ask("Où sont écrits les journaux du serveur de courrier ?")
    assert answer.answerable and answer.citations
    cited = answer.citations[0]
    assert cited.source == "courrier-scan.pdf" and cited.page == 1 and cited.ocr is True
    assert "/var/log/mail.log" in " ".join(c.quote for c in answer.citations)
    assert cited.to_json()["ocr"] is True
    assert where_label(cited.page, cited.page_end, None, cited.locator, cited.ocr) == "p. 1 (OCR)"
    health = document_health(assistant.snapshot().document_by_source("courrier-scan.pdf"))
    assert health.ocr_pages == 1 and "1 pages OCR'd" in health.summary()


@needs_tesseract
def test_mixed_pdf_reads_text_pages_and_ocrs_the_scanned_one():
    extracted = read_pdf(_mixed())  # the two scanned pages are OCR'd in parallel
    assert extracted.ocr_pages == (2, 4) and extracted.unread_pages == ()
    assert len(extracted.pages) == 4
    second = extracted.text[extracted.pages[1] : extracted.pages[2]]
    assert "systemctl reload postfix" in second and "quatre semaines" in second
    assert extracted.text.startswith("La première page") and "troisième" in extracted.text
    assert "sauvegarde part chaque nuit" in extracted.text[extracted.pages[3] :]


def test_without_tesseract_other_pages_are_indexed_and_the_scan_is_reported(
    tmp_path: Path, monkeypatch
):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    (tmp_path / "mixed.pdf").write_bytes(_mixed())
    document = load_document(tmp_path / "mixed.pdf", tmp_path)
    assert "première page" in document.text and "troisième" in document.text
    assert document.unread_pages == (2, 4) and document.ocr_pages == ()
    warnings = document_health(document).warnings
    assert "2 pages have no text layer; install tesseract-ocr to read them" in warnings
    # A scan with no text page at all is skipped with the same reason, and so is an image.
    with pytest.raises(UnreadableFile, match="1 pages have no text layer; install tesseract"):
        read_pdf(_scan(SCANNED))
    with pytest.raises(UnreadableFile, match="install tesseract-ocr"):
        read_image(format_files.png(Image.new("L", (200, 100), 255)))


@needs_tesseract
def test_images_are_read_by_ocr_and_one_without_text_is_refused(tmp_path: Path):
    page = format_files.page_images(format_files.text_pdf([SCANNED]))[0]
    (tmp_path / "photo.png").write_bytes(format_files.png(page))
    document = load_document(tmp_path / "photo.png", tmp_path)
    assert "main.cf" in document.text and document.ocr_pages == (1,)
    blank = Image.new("L", (800, 600), 255)
    for image in (blank, Image.effect_noise((400, 300), 10)):  # white, and grey noise
        with pytest.raises(UnreadableFile, match="no text found") as raised:
            read_image(format_files.png(image))
        assert "\n" not in str(raised.value)
