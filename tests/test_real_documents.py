"""Real documents read right: sentences whole, words spaced, pages and sections where they are."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from rag.chunking import chunk_document, split_sentences
from rag.ingest.health import document_health
from rag.ingest.loader import load_document
from rag.ingest.readers import UnreadableFile, read_docx, read_html, read_markdown, read_pdf
from rag.locate import locate, page_at, where_label
from rag.store.documents import decode_document, encode_document
from tests.test_ingest import paged_pdf

ROOT = Path(__file__).resolve().parents[1]
# ../shared next to the checkout (a worktree sits one folder deeper), or shared/ inside it.
REAL = next(
    (
        folder / "shared" / "eval" / "real"
        for folder in (ROOT, ROOT.parent, ROOT.parent.parent)
        if (folder / "shared" / "eval" / "real").is_dir()
    ),
    ROOT / ".." / "shared" / "eval" / "real",
)
PDF = REAL / "corpus" / "debian-faq.fr.pdf"
MAINT_GUIDE = REAL / "corpus" / "maint-guide"
needs_real = pytest.mark.skipif(not PDF.exists(), reason="the eval/real corpus is not in ../shared")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _sentences(text: str, language: str = "en") -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, language)]


def test_inline_markup_stays_inside_its_sentence():
    html = (
        b"<html><body><p>To (temporarily) disable all user accounts just create the file\n"
        b'<code class="filename">/etc/nologin</code>.</p><p>Then <span class="command">'
        b"<strong>login</strong></span> refuses\nevery user but root.</p></body></html>"
    )
    text = read_html(html).text
    assert _sentences(text) == [
        "To (temporarily) disable all user accounts just create the file /etc/nologin.",
        "Then login refuses every user but root.",
    ]


def test_blocks_end_paragraphs_and_code_stays_one_unit():
    html = (
        "<html><head><title>T</title></head><body><nav>Home | Next</nav><h1>Guide</h1>"
        "<ul><li>apt</li><li>dpkg</li></ul><pre>$ make\n$ make install. Done.\n\n$ ls</pre>"
        "<table><tr><th>Name</th><th>Use</th></tr><tr><td>apt</td><td>installs</td></tr></table>"
        "<footer>© 2024</footer></body></html>"
    )
    extracted = read_html(html.encode())
    assert extracted.text == (
        "Guide\n\napt\n\ndpkg\n\n$ make\n$ make install. Done.\n\n$ ls\n\nName | Use\n\napt | installs"
    )
    document = load_document_from(extracted.text, extracted.verbatim)
    sentences = [extracted.text[s:e] for s, e in document.sentences]
    assert "$ make\n$ make install. Done.\n\n$ ls" in sentences


def load_document_from(text: str, verbatim: tuple[tuple[int, int], ...]):
    from rag.types import Document

    document = Document("d.html", text, "h", "d", "en", verbatim=verbatim)
    return chunk_document(document, 700)[0]


def test_fragments_merge_with_their_neighbour():
    text = (
        "Voir\nla page suivante pour les détails.\n\n( Ceci est une note. )\n\n3.1.\nConfiguration"
    )
    sentences = _sentences(text, "fr")
    assert "(" not in sentences and "Voir" not in sentences
    assert sentences[0] == "Voir\nla page suivante pour les détails."


def test_sphinx_permalinks_are_not_part_of_the_heading():
    # As the Debian Developer's Reference (Sphinx) writes its headings.
    html = (
        '<html><body><section id="fakeroot"><h4>1.1.3. fakeroot<a class="headerlink" '
        'href="#fakeroot" title="Lien permanent vers cette rubrique">¶</a></h4>'
        "<p>fakeroot simule les privilèges de root.</p></section></body></html>"
    )
    extracted = read_html(html.encode())
    assert extracted.text == "1.1.3. fakeroot\n\nfakeroot simule les privilèges de root."
    assert [path for _, path in extracted.sections] == ["1.1.3. fakeroot"]


def test_texinfo_navigation_menus_and_index_are_not_text():
    # As makeinfo --html (libffi's manual) writes a node: a "Next: … Up: … [Index]" bar at
    # both ends (only the top one marked rel/accesskey), "¶" anchors, a menu of child nodes.
    bar = (
        '<div class="header"><p>Next: <a href="Simple-Example.html">Simple Example</a>, Up: '
        '<a href="Using-libffi.html">Using libffi</a> &nbsp; [<a href="Index.html" '
        'rel="index">Index</a>]</p></div>'
    )
    html = (
        f'<html><body><div class="section">{bar}<h3 class="section">2.1 The Basics</h3>'
        '<dl class="def"><dt>Function: <strong>ffi_prep_cif</strong><a href="#index-x" '
        "class='copiable-anchor'> &para;</a></dt><dd><p>This initializes <var>cif</var>."
        '</p></dd></dl><ul class="section-toc"><li><a href="Types.html">Types</a></li>'
        '<li><a href="Closures.html">Closures</a></li></ul>'
        '<p>See <a href="Types.html">Types</a> and <a href="https://example.org/abi">the ABI '
        f"notes</a> for the layout.</p>{bar}</div>"
        '<p>[1] <a href="https://www.debian.org/doc/policy/">Debian Policy, 8.1 « Shared '
        'libraries »</a>, <a href="https://wiki.debian.org/Multiarch">Multiarch</a>.</p>'
        "</body></html>"
    )
    html = html.replace(
        "</body>",
        '<DIV CLASS="TOC"><DL><DT><B>Table of Contents</B></DT><DT>1. <A '
        'HREF="#INTRODUCTION">Introduction</A></DT></DL></DIV></body>',
    )  # and old DocBook (jade) writes its classes in capitals
    text = read_html(html.encode()).text
    assert text == (
        "2.1 The Basics\n\nFunction: ffi_prep_cif\n\nThis initializes cif.\n\n"
        "See Types and the ABI notes for the layout.\n\n"
        "[1] Debian Policy, 8.1 « Shared libraries », Multiarch."
    )


@needs_real
def test_real_xhtml_page_parses_without_warnings_and_without_its_navigation():
    # pytest turns warnings into errors: reading must not warn (bs4 warned on XHTML).
    extracted = read_html((MAINT_GUIDE / "modify.fr.html").read_bytes())
    text = extracted.text
    assert text.startswith("Chapitre 3. Modification du code source\n\n")
    assert text.count("Chapitre 3. Modification du code source") == 1  # navheader gone
    assert "Précédent" not in text and "Table des matières" not in text
    assert extracted.sections[1][1] == (
        "Chapitre 3. Modification du code source › 3.1. Configuration de quilt"
    )
    # Shell commands from a <pre> block are one unit, never cut into "sentences".
    assert any(
        s.startswith("alias dquilt=") and s.endswith("filenames dquilt") for s in _sentences(text)
    ) or any(text[a:b].startswith("alias dquilt=") for a, b in extracted.verbatim)


@needs_real
def test_real_html_pages_have_few_one_word_sentences():
    for page in sorted(MAINT_GUIDE.glob("*.html")):
        document = chunk_document(load_document(page, MAINT_GUIDE), 700)[0]
        health = document_health(document)
        assert health.one_word_share < 0.1, (page.name, health.summary())


@pytest.fixture(scope="module")
def faq():
    if not PDF.exists():
        pytest.skip("the eval/real corpus is not in ../shared")
    return chunk_document(load_document(PDF, PDF.parent), 700)[0]


def test_latex_pdf_keeps_its_spaces_and_drops_its_running_heads(faq):
    assert len(faq.pages) == 75
    # pypdf read this page as "LeprojetDebianaétécrééparIanMurdocken1993,initialement".
    assert "Le projet Debian a été créé par Ian Murdock en 1993, initialement" in faq.text
    assert "CHAPITRE 1. DÉFINITIONS" not in faq.text  # the running head of pages 10-12
    assert "TABLE DES MATIÈRES" not in faq.text
    assert "\ufffe" not in faq.text and "Debian" in faq.text[faq.pages[13] : faq.pages[14]]
    health = document_health(faq)
    # Pages 8, 22, 26, 36, 44, 54 and 62 are blank in the PDF itself (LaTeX chapter breaks);
    # 3-6 are the table of contents, dropped: dot leaders are not sentences.
    assert health.garbled_share < 0.002 and health.empty_pages == 11
    assert ". . . ." not in faq.text
    assert health.sections > 100 and not health.warnings


def test_gold_phrases_are_on_their_physical_pages(faq):
    gold = [
        g
        for line in (REAL / "qa.jsonl").read_text(encoding="utf-8").splitlines()
        for g in json.loads(line)["gold"]
        if g["source"] == PDF.name
    ]
    assert len(gold) >= 8
    squashed = _squash(faq.text)
    # Map offsets in the squashed text back to the document to find the phrase's start.
    positions = [i for i, ch in enumerate(faq.text) if not ch.isspace()]
    for entry in gold:
        at = squashed.find(_squash(entry["phrase"]))
        assert at >= 0, entry["phrase"]
        start, end = positions[at], positions[at + len(_squash(entry["phrase"])) - 1] + 1
        page, page_end, section = locate(faq, start, end)
        assert page == entry["page"], entry["phrase"]
        assert page_end is None and section


def test_a_pdf_code_listing_is_one_verbatim_block():
    # A PDF has no <pre>: an XML listing (as in the shared-mime-info spec) is told by its
    # lines, and the splitter must not cut "<?xml … ?>" at its "?" nor "<!--" at its "!".
    lines = [
        "The database would then contain the following entry for the diff type, written",
        "by update-mime-database from the package's source file:",
        '<?xml version="1.0" encoding="utf-8"?>',
        '<mime-type type="text/x-diff">',
        "<!--Created automatically by update-mime-database. DO NOT EDIT!-->",
        "<comment>Differences between files</comment>",
        "</mime-type>",
        "The default weight of a glob pattern is 50, and a rule may change it ; see below.",
    ]
    extracted = read_pdf(paged_pdf([lines]))
    listing = "\n".join(lines[2:7])
    assert [extracted.text[a:b] for a, b in extracted.verbatim] == [listing]
    spans = split_sentences(extracted.text, "en", extracted.verbatim)
    sentences = [extracted.text[a:b] for a, b in spans]
    assert listing in sentences
    assert sentences[-1].startswith("The default weight of a glob pattern is 50")


def test_pdf_page_map_running_heads_and_page_numbers():
    words = "alpha beta gamma delta epsilon zeta eta theta".split()
    pages = [
        [
            "ACME QUARTERLY REPORT",
            f"The {words[i]} office grew its revenue by {i} percent this quarter and",
            f"hired {words[i + 1]} new engineers for the {words[i + 2]} team.",
            str(i),
        ]
        for i in range(1, 6)
    ]
    extracted = read_pdf(paged_pdf(pages))
    assert "ACME" not in extracted.text and "\n1\n" not in extracted.text
    assert len(extracted.pages) == 5 and extracted.pages[0] == 0
    for n, start in enumerate(extracted.pages, start=1):
        assert extracted.text[start:].startswith(f"The {words[n]} office")
    third = extracted.text.index("hired epsilon")
    from rag.types import Document

    document = Document("r.pdf", extracted.text, "h", "r", "en", pages=extracted.pages)
    assert page_at(document, third) == 3
    assert locate(document, third, extracted.pages[3] + 3) == (3, 4, None)


def test_encrypted_and_malformed_pdfs_are_refused_in_one_line(tmp_path: Path):
    pypdf = pytest.importorskip("pypdf")  # only to write an encrypted file
    plain = pypdf.PdfReader(io.BytesIO(paged_pdf([["Secret text here."]])))
    writer = pypdf.PdfWriter(clone_from=plain)
    writer.encrypt("s3cret")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as out:
        writer.write(out)
    with pytest.raises(UnreadableFile, match=r"^encrypted PDF \(needs a password\)$"):
        read_pdf(path.read_bytes())
    with pytest.raises(UnreadableFile, match=r"^malformed PDF") as error:
        read_pdf(b"%PDF-1.4\nnot really a pdf")
    assert "\n" not in str(error.value)


def test_markdown_and_docx_headings_become_sections(tmp_path: Path):
    markdown = (
        "# Guide\n\nIntro text.\n\n## Install\n\n```\n# not a heading\n```\n\n## Use\n\nRun it.\n"
    )
    extracted = read_markdown(markdown.encode())
    assert [path for _, path in extracted.sections] == ["Guide", "Guide › Install", "Guide › Use"]
    assert extracted.text[extracted.sections[1][0] :].startswith("## Install")
    import docx

    word = docx.Document()
    word.add_heading("Rapport", level=1)
    word.add_paragraph("Le chiffre a progressé.")
    word.add_heading("Ventes", level=2)
    word.add_paragraph("Les ventes ont doublé.")
    word.save(str(tmp_path / "r.docx"))
    extracted = read_docx((tmp_path / "r.docx").read_bytes())
    at, path = extracted.sections[-1]
    assert path == "Rapport › Ventes" and extracted.text[at:].startswith("Ventes\n\nLes ventes")


def test_pages_and_sections_are_stored_and_old_records_still_load():
    from rag.types import Document

    text = "Intro.\n\nPage two starts here."
    document = Document("a.pdf", text, "h", "A", "en", ((0, 6),), (0, 8), ((8, "Two › Deep"),))
    stored, _ = decode_document(encode_document(document, []), "test")
    assert stored == document
    old = json.loads(encode_document(document, []))
    for key in ("pages", "sections", "verbatim"):
        del old[key]
    legacy, _ = decode_document(json.dumps(old), "test")
    assert (legacy.pages, legacy.sections, legacy.text) == ((), (), text)
    assert where_label(*locate(document, 10, 12)) == "p. 2 · Two › Deep"
    assert where_label(*locate(legacy, 10, 12)) == ""


def _kinds(document, *sentences: str) -> list[str]:
    from rag.retrieval.sentence_kind import sentence_kind

    spans = {document.text[s:e]: (s, e) for s, e in document.sentences}
    return [sentence_kind(document, *spans[sentence]) for sentence in sentences]


def test_headings_and_code_blocks_are_told_from_running_text(faq):
    # The PDF outline's titles leave out their numbers ("7.1 "); the heading sentence has it.
    assert _kinds(
        faq,
        "7.1 Qu’est ce qu’un paquet Debian\xa0?",
        "Installez le paquet libpaper1, il vous sera demandé d’indiquer le format de papier "
        "utilisé sur le\nsystème.",
    ) == ["heading", "text"]
    page = chunk_document(load_document(MAINT_GUIDE / "update.fr.html", MAINT_GUIDE), 700)[0]
    assert _kinds(
        page,
        "8.5. Conversion en UTF-8",
        "avec iconv(1) pour convertir l'encodage de fichiers texte :",
        "iconv -f latin1 -t utf8 truc_entrée.txt > truc_sortie.txt",
    ) == ["heading", "text", "code"]
    markdown = chunk_document(load_document_markdown("# Guide\n\n### Install\n\nRun it now."), 700)[
        0
    ]
    assert _kinds(markdown, "# Guide", "### Install", "Run it now.") == [
        "heading",
        "heading",
        "text",
    ]


def load_document_markdown(markdown: str):
    from rag.types import Document

    extracted = read_markdown(markdown.encode())
    return Document("g.md", extracted.text, "h", "g", "en", sections=extracted.sections)
