"""groff PDFs read with their word gaps: PDFium drops a TJ array's last gap before "()"."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from rag.ingest.health import garbled_share
from rag.ingest.pdf import read_pdf
from rag.ingest.pdf_kerning import loses_kerning, restore_kerning
from tests.format_files import groff_pdf, text_pdf

PAGES = [
    ["If the lastpipe option is enabled using the shopt builtin", "in the absence of any traps"],
    ["Each pattern that matches is followed by a word list"],
]


def test_pdfium_alone_glues_the_words_of_a_groff_pdf() -> None:
    """Why the mending exists: if this fails, PDFium keeps the gap itself and it can go."""
    glued = read_pdf(groff_pdf(PAGES), mend_kerning=False).text
    assert "Ifthelastpipeoptionisenabled" in glued
    assert garbled_share(glued) > 0.5


def test_groff_words_are_read_apart_with_consistent_pages() -> None:
    extracted = read_pdf(groff_pdf(PAGES))
    lines = [line for page in PAGES for line in page]
    assert extracted.text.split("\n") == [PAGES[0][0], PAGES[0][1], "", PAGES[1][0]]
    assert garbled_share(extracted.text) == 0
    # The page map indexes the mended text: each page's first line starts at its offset.
    assert len(extracted.pages) == 2
    for start, page in zip(extracted.pages, PAGES, strict=True):
        assert extracted.text.startswith(page[0], start)
    assert all(extracted.text.count(line) == 1 for line in lines)


def test_clean_pdfs_are_not_rewritten() -> None:
    plain = text_pdf([["Le fichier /etc/hosts associe des noms aux adresses IP."]])
    assert restore_kerning(plain) is plain
    assert read_pdf(plain) == read_pdf(plain, mend_kerning=False)


def test_a_gap_followed_by_a_new_position_is_left_alone() -> None:
    """Apache FOP ends arrays the same way but places the next run with Tm: nothing is lost,
    so the file is not rewritten (that costs as much as reading it)."""
    placed = groff_pdf(PAGES, reposition=True)
    assert not loses_kerning(placed)
    assert restore_kerning(placed) is placed
    assert "If the lastpipe option" in read_pdf(placed).text


def test_uncompressed_content_streams_are_scanned() -> None:
    compressed = groff_pdf(PAGES[:1])
    stream = re.search(rb"stream\n(.*)\nendstream", compressed, re.S)
    assert stream is not None
    raw = zlib.decompress(stream.group(1))
    assert loses_kerning(b"1 0 obj << /Length %d >> stream\n%s\nendstream" % (len(raw), raw))


def test_a_file_pypdf_cannot_rewrite_keeps_its_bytes() -> None:
    stream = zlib.compress(b"BT [(the) -278 ()] TJ [(word)] TJ ET")
    broken = b"%%PDF-1.4\n4 0 obj << /Length %d /Filter /FlateDecode >> stream\n%s\nendstream" % (
        len(stream),
        stream,
    )
    assert loses_kerning(broken)
    assert restore_kerning(broken) is broken


@pytest.mark.skipif(
    shutil.which("groff") is None or not Path("/usr/share/man/man1/grep.1.gz").exists(),
    reason="needs groff and grep's man page",
)
def test_a_real_groff_man_page_loses_no_spaces(tmp_path: Path) -> None:
    source = subprocess.run(
        ["zcat", "/usr/share/man/man1/grep.1.gz"], capture_output=True, check=True
    ).stdout
    made = subprocess.run(["groff", "-man", "-Tpdf"], input=source, capture_output=True)
    if made.returncode or not made.stdout.startswith(b"%PDF"):
        pytest.skip("groff cannot write PDF here (gropdf or its fonts missing)")
    before = read_pdf(made.stdout, mend_kerning=False).text
    after = read_pdf(made.stdout).text
    words = re.compile(r"[^\W\d_]+")
    mended = words.findall(after)
    pairs = {first + second for first, second in itertools.pairwise(mended)}
    glued = {word for word in set(words.findall(before)) - set(mended) if word in pairs}
    assert len(glued) >= 3  # "noFILE" is read "no FILE", and so on
    # Only spaces moved (PDFium alone also cut a few words at the gaps it shifted: "gi ven").
    assert re.sub(r"[\W_]", "", before) == re.sub(r"[\W_]", "", after)
