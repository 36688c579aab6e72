"""Office formats, e-books and spreadsheets: each read from a real file made here, and cited
with its own locator (slide, chapter, sheet and row)."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from rag.ingest.loader import load_document
from rag.ingest.readers import UnreadableFile, read_csv, read_xlsx
from rag.locate import locate, unit_locator, where_label
from rag.store.documents import decode_document, encode_document
from tests import format_files


def _locator(document, needle: str) -> str | None:
    at = document.text.index(needle)
    page, page_end, _ = locate(document, at, at + len(needle))
    return unit_locator(document, page, page_end)


def test_docx_tables_and_lists_in_document_order_with_heading_sections(tmp_path: Path):
    format_files.write_docx(tmp_path / "guide.docx")
    document = load_document(tmp_path / "guide.docx", tmp_path)
    text = document.text
    order = ["dpkg-buildpackage", "• Installer", "• Lancer", "Paquet | Version", "bash | 5.2"]
    assert [text.index(part) for part in order] == sorted(text.index(part) for part in order)
    assert text.index("bash | 5.2") < text.index("La table ci-dessus")
    assert "hello | 2.10\n\nbash | 5.2" in text  # each row a line of its own
    at = text.index("bash | 5.2")
    assert locate(document, at, at + 3)[2] == "Installation › Versions"
    assert document.title == "Guide des paquets" and _locator(document, "bash") is None


def test_pptx_slides_and_notes_cite_the_slide(tmp_path: Path):
    format_files.write_pptx(tmp_path / "deck.pptx")
    document = load_document(tmp_path / "deck.pptx", tmp_path)
    assert document.page_label == "slide" and len(document.pages) == 2
    assert _locator(document, "Le gel des paquets") == "slide 2"
    assert _locator(document, "Insister sur la date") == "slide 2"  # speaker notes
    assert _locator(document, "Saluer le public") == "slide 1"
    at = document.text.index("Le gel")
    assert where_label(*locate(document, at, at + 6), "slide 2") == "slide 2 · Calendrier"


def test_epub_chapters_through_the_html_reader(tmp_path: Path):
    chapters = [
        ("Chapitre un", "Il était une <em>fois</em> un paquet."),
        ("Chapitre deux", "Le paquet fut publié dans <code>unstable</code>."),
        ("Chapitre trois", "Puis il migra vers testing."),
    ]
    format_files.write_epub(tmp_path / "livre.epub", chapters)
    document = load_document(tmp_path / "livre.epub", tmp_path)
    assert document.title == "Le livre" and document.page_label == "chapter"
    assert "Le paquet fut publié dans unstable." in document.text  # inline markup kept inline
    assert _locator(document, "Puis il migra") == "chapter 3"
    at = document.text.index("Puis il migra")
    assert locate(document, at, at + 4)[2] == "Chapitre trois"


def test_odt_headings_spans_lists_and_tables(tmp_path: Path):
    format_files.write_odt(tmp_path / "reseau.odt")
    document = load_document(tmp_path / "reseau.odt", tmp_path)
    assert "La commande ip addr affiche les adresses." in document.text
    assert "• Vérifier le câble" in document.text and "Port | 22" in document.text
    assert document.sections == ((0, "Réseau"),)


def test_spreadsheet_rows_say_their_headers_and_cite_sheet_and_row(tmp_path: Path):
    format_files.write_xlsx(tmp_path / "ventes.xlsx")
    document = load_document(tmp_path / "ventes.xlsx", tmp_path)
    assert "Région: Région 2; Mois: mars; Montant: 1001" in document.text
    assert _locator(document, "Région 2") == "Ventes, row 3"  # the header is row 1
    assert _locator(document, "Le stock de Lyon") == "Notes, row 2"
    csv = read_csv(b"nom;ville\nAlice;Lyon\n\nBob;Paris\n")
    assert csv.text == "nom: Alice; ville: Lyon\n\nnom: Bob; ville: Paris"
    assert csv.page_names == ("row 2", "row 4")  # the line a spreadsheet program shows
    # The locators survive the index's JSON record.
    stored, _ = decode_document(encode_document(document, []), "test")
    assert stored.page_names == document.page_names and stored.page_label == "row"


def test_a_10000_row_sheet_is_read_in_seconds_and_little_memory(tmp_path: Path):
    format_files.write_xlsx(tmp_path / "big.xlsx", rows=10_000)
    data = (tmp_path / "big.xlsx").read_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    extracted = read_xlsx(data)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(extracted.pages) == 10_001 and extracted.page_names[-2] == "Ventes, row 10001"
    # About 1 s and 30 MB on a loaded 2-core machine; generous bounds against a quadratic
    # builder or a non-streaming load.
    assert seconds < 20 and peak < 200 * 1024 * 1024


def test_corrupt_office_files_are_refused_in_one_line():
    for reader, data in [
        (read_xlsx, b"PK\x03\x04 truncated zip"),
        (read_xlsx, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
    ]:
        with pytest.raises(UnreadableFile) as raised:
            reader(data)
        assert "XLSX" in str(raised.value) and "\n" not in str(raised.value)


def test_each_format_is_indexed_answered_and_cited_with_its_locator(tmp_path: Path, embedder):
    from rag.pipeline import Assistant
    from rag.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    format_files.write_pptx(corpus / "deck.pptx")
    format_files.write_xlsx(corpus / "ventes.xlsx")
    format_files.write_epub(
        corpus / "livre.epub",
        [("Préface", "Ce livre parle de paquets."), ("Migration", "Le paquet migra vers testing.")],
    )
    format_files.write_docx(corpus / "guide.docx")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    # Every reader's type is accepted by upload by default.
    accepted = set(settings.upload_types.split(","))
    assert {".pptx", ".epub", ".odt", ".csv", ".xlsx", ".png", ".jpg", ".tiff"} <= accepted
    assistant = Assistant(settings, embedder=embedder)
    assert not assistant.index().skipped
    expected = {
        "En quel mois commence le gel des paquets ?": ("deck.pptx", "slide 2"),
        "À quelle fréquence le stock de Lyon est-il vérifié ?": ("ventes.xlsx", "Notes, row 2"),
        "Vers quelle distribution le paquet migra-t-il ?": ("livre.epub", "chapter 2"),
    }
    for question, (source, locator) in expected.items():
        answer = assistant.ask(question)
        assert answer.answerable, question
        cited = answer.citations[0]
        assert (cited.source, cited.locator) == (source, locator), question
        assert cited.to_json()["locator"] == locator and "ocr" not in cited.to_json()
    from rag.ingest.health import document_health

    deck = assistant.snapshot().document_by_source("deck.pptx")
    assert deck is not None and document_health(deck).summary().startswith("2 slides · ")
