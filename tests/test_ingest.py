"""Reading every supported format, decoding odd encodings, and skipping bad files with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.ingest import load_documents
from rag.ingest.readers import UnreadableFile, decode_text
from tests.format_files import text_pdf


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF whose content stream draws ``text``."""
    return paged_pdf([[text]])


def paged_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one page per item, each line drawn below the previous one (Helvetica 12)."""
    return text_pdf(pages, size=12)


def minimal_docx(path: Path, paragraphs: list[str]) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Rapport"
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))


@pytest.fixture
def mixed_corpus(tmp_path: Path) -> Path:
    (tmp_path / "notes.txt").write_text("Le chat dort sur le canapé.\n", encoding="utf-8")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "guide.md").write_text("# Guide\n\nInstall it with pip.\n")
    (tmp_path / "page.html").write_text(
        "<html><head><title>Page</title><style>body{color:red}</style></head>"
        "<body><script>alert('x')</script><p>Visible paragraph.</p></body></html>"
    )
    (tmp_path / "latin1.txt").write_bytes("Café crème à l'été.".encode("latin-1"))
    (tmp_path / "report.pdf").write_bytes(minimal_pdf("Quarterly revenue grew by 12 percent."))
    minimal_docx(tmp_path / "memo.docx", ["Première ligne du mémo.", "Deuxième ligne."])
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02garbage\x00" * 10)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    return tmp_path


def test_every_format_is_read_and_bad_files_are_skipped_with_reasons(mixed_corpus: Path):
    report = load_documents(mixed_corpus)
    texts = {d.source: d for d in report.documents}
    assert set(texts) == {
        "notes.txt",
        "sub/deeper/guide.md",
        "page.html",
        "latin1.txt",
        "report.pdf",
        "memo.docx",
    }
    assert texts["notes.txt"].text == (mixed_corpus / "notes.txt").read_text(encoding="utf-8")
    assert texts["latin1.txt"].text == "Café crème à l'été."
    assert texts["page.html"].text == "Visible paragraph."
    assert texts["page.html"].title == "Page"
    assert "alert" not in texts["page.html"].text and "color" not in texts["page.html"].text
    assert "Quarterly revenue grew by 12 percent." in texts["report.pdf"].text
    assert texts["memo.docx"].text == "Première ligne du mémo.\n\nDeuxième ligne."
    assert texts["memo.docx"].title == "Rapport"
    assert texts["sub/deeper/guide.md"].title == "Guide"
    assert texts["notes.txt"].language == "fr"
    reasons = {s.source: s.reason for s in report.skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "broken.pdf", "image.png"}
    assert "no text" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "PDF" in reasons["broken.pdf"]
    assert "unreadable image" in reasons["image.png"]  # a PNG header and nothing else


def test_symlink_loops_are_cut(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "doc.txt").write_text("Une phrase.")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    report = load_documents(tmp_path)
    assert [d.source for d in report.documents] == ["a/doc.txt"]


def test_decode_prefers_utf8_and_rejects_binary():
    assert decode_text("Déjà".encode("utf-8-sig")) == "Déjà"
    with pytest.raises(UnreadableFile):
        decode_text(b"\x00\x00\x00\x01")


def test_markdown_title_skips_a_commented_line_in_a_code_block(tmp_path: Path):
    (tmp_path / "readme.md").write_text(
        "Tool -- does things\n\n```sh\n# Create a folder\nmkdir demo\n```\n\n# Usage\n\nRun it.\n"
    )
    (document,) = load_documents(tmp_path).documents
    assert document.title == "Usage"
