"""A corpus of bad files: each skipped with a one-line reason, every good file indexed, exit 0."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rag.cli import main
from tests import format_files
from tests.test_ingest import minimal_pdf

pytestmark = pytest.mark.faults
LONG_NAME = "n" * 240 + ".txt"


@pytest.fixture
def bad_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "a" / "b" / "c").mkdir(parents=True)
    good = {
        "notes.txt": "Le chat dort sur le canapé.\n",
        "a/b/c/deep.md": "# Deep\n\nNested folders are walked.\n",
        LONG_NAME: "A file with a very long name.\n",
    }
    for name, text in good.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "latin1.txt").write_bytes("Café crème à l'été, déjà.".encode("latin-1"))
    (root / "utf16.txt").write_bytes("Texte en UTF-16 avec accents: été.".encode("utf-16"))
    (root / "page.html").write_text(
        "<html><head><style>.x{color:red}</style><script>var secret='SCRIPTTEXT';</script>"
        "</head><body><p>Visible words.</p><script>alert('INLINESCRIPT')</script>"
        "<style>p{font:STYLETEXT}</style></body></html>"
    )
    (root / "report.pdf").write_bytes(minimal_pdf("Revenue grew by 12 percent."))
    # Bad ones.
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_text("   \n\n\t\n")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<\nthis is not a PDF")
    (root / "truncated.pdf").write_bytes(minimal_pdf("Cut short.")[:120])
    (root / "huge.txt").write_text("mot " * 1_250_000)  # 5 MB on one line
    (root / "locked.txt").write_text("Nobody may read this.")
    (root / "locked.txt").chmod(0)
    (root / "dangling.txt").symlink_to(root / "missing-target.txt")
    (root / "a" / "loop").symlink_to(root / "a", target_is_directory=True)
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    _office_bad_files(root)
    return root


def _office_bad_files(root: Path) -> None:
    """A password-protected PDF and DOCX, a corrupt XLSX, an image without text."""
    import io

    import pypdf
    from msoffcrypto.format.ooxml import OOXMLFile
    from PIL import Image

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(minimal_pdf("Secret."))))
    writer.encrypt("s3cret")
    with (root / "locked.pdf").open("wb") as out:
        writer.write(out)
    format_files.write_docx(root / "plain.docx")
    with (root / "plain.docx").open("rb") as plain, (root / "locked.docx").open("wb") as out:
        OOXMLFile(plain).encrypt("s3cret", out)
    (root / "plain.docx").unlink()
    format_files.write_xlsx(root / "sales.xlsx")
    (root / "corrupt.xlsx").write_bytes((root / "sales.xlsx").read_bytes()[:3000])
    (root / "blank.png").write_bytes(format_files.png(Image.new("L", (600, 400), 255)))


def test_bad_files_are_skipped_with_reasons_and_good_ones_indexed(
    bad_corpus: Path, tmp_path: Path, monkeypatch, capsys
):
    monkeypatch.setenv("RAG_CORPUS_DIR", str(bad_corpus))
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    # The default cap (10,000,000) admits a 1,000-page book; a lower one shows the reason.
    monkeypatch.setenv("RAG_MAX_DOCUMENT_CHARS", "1000000")
    assert main(["index", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    reasons = {item["source"]: item["reason"] for item in report["skipped"]}
    for reason in reasons.values():
        assert reason and "\n" not in reason and len(reason) < 300
    assert "no text" in reasons["empty.txt"] and "no text" in reasons["blank.md"]
    assert "binary" in reasons["binary.txt"]
    assert "PDF" in reasons["broken.pdf"] and "PDF" in reasons["truncated.pdf"]
    assert "too long" in reasons["huge.txt"] and "RAG_MAX_DOCUMENT_CHARS" in reasons["huge.txt"]
    assert "dangling.txt" in reasons and "unreadable image" in reasons["image.png"]
    assert reasons["locked.pdf"] == "encrypted PDF (needs a password)"
    assert reasons["locked.docx"].startswith("password-protected DOCX")
    assert reasons["corrupt.xlsx"].startswith("malformed XLSX")
    assert reasons["blank.png"] in (
        "no text found in the image (OCR read nothing)",
        "an image is read by OCR; install tesseract-ocr to read it",
    )
    root = os.geteuid() == 0  # root reads files whatever their permissions
    assert ("locked.txt" in reasons) is not root
    good = {"notes.txt", "a/b/c/deep.md", LONG_NAME, "latin1.txt", "utf16.txt", "page.html"}
    good |= {"report.pdf", "sales.xlsx"} | ({"locked.txt"} if root else set())
    assert report["documents"] == len(good)
    assert report["added"] == len(good)

    assert main(["show", "page.html", "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert page["text"] == "Visible words."
    for code in ("SCRIPTTEXT", "INLINESCRIPT", "STYLETEXT", "color"):
        assert code not in page["text"]
    assert main(["show", "utf16.txt", "--json"]) == 0
    assert "été" in json.loads(capsys.readouterr().out)["text"]

    # The plain report says how many were skipped, one line each.
    assert main(["index"]) == 0
    out = capsys.readouterr().out
    assert f"{len(reasons)} files skipped" in out
    assert sum(line.startswith("  skipped ") for line in out.splitlines()) == len(reasons)


def test_permission_denied_is_a_reason(tmp_path: Path, monkeypatch):
    from rag.ingest import loader

    (tmp_path / "secret.txt").write_text("x")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    report = loader.load_documents(tmp_path)
    assert [(s.source, s.reason) for s in report.skipped] == [("secret.txt", "permission denied")]


def test_only_bad_files_exits_2_with_the_count(tmp_path: Path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    monkeypatch.setenv("RAG_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    assert main(["index"]) == 2
    captured = capsys.readouterr()
    assert "1 files skipped" in captured.out and "no readable documents" in captured.err
