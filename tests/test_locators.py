"""Citations, find matches and briefing bullets say their page and section, on the real stack."""

from __future__ import annotations

import json

import pytest

from rag.cli import main
from rag.types import Answer, Citation, Document
from tests.conftest import indexed_assistant
from tests.test_ingest import paged_pdf
from ui.render import sources_html
from ui.viewer import source_html

PAGES = [
    [
        "Annual report of the Northwind cooperative.",
        "The cooperative sells apples, pears and plums to local shops and markets.",
    ],
    [
        "The orchard in Lyon produced 40 tonnes of cherries in the last season, a record",
        "harvest that the cooperative sold entirely to bakeries in the region.",
    ],
    [
        "Staff numbers stayed at twelve people, including two seasonal pickers who joined",
        "in the summer to help with the harvest.",
    ],
]


@pytest.fixture(scope="module")
def paged_assistant(tmp_path_factory, embedder):
    guide = (
        "# Guide\n\nIntro.\n\n## Storage\n\nKeep the cherries cold at four degrees in the "
        "storage room.\n"
    )
    documents = {"report.pdf": paged_pdf(PAGES), "guide.md": guide}
    return indexed_assistant(tmp_path_factory, embedder, "paged", documents, generator="extractive")


def test_a_citation_into_a_pdf_names_its_page(paged_assistant):
    answer = paged_assistant.ask("How many tonnes of cherries did the Lyon orchard produce?")
    assert answer.answerable, answer.text
    cited = [c for c in answer.citations if c.source == "report.pdf"]
    assert cited and all(c.page in (2, 3) for c in cited)
    first = next(c for c in cited if "40 tonnes" in c.quote)
    assert first.page == 2 and first.page_end is None
    assert json.loads(json.dumps(answer.to_json()))["citations"][0]["page"] == cited[0].page


def test_find_and_brief_carry_page_and_section(paged_assistant, monkeypatch, capsys):
    found = paged_assistant.find("Keep the cherries cold at four degrees in the storage room.")
    match = found.matches[0]
    assert (match.source, match.page, match.section) == ("guide.md", None, "Guide › Storage")
    assert match.to_json()["section"] == "Guide › Storage" and "page" not in match.to_json()
    crossing = paged_assistant.find("a record harvest that the cooperative sold entirely")
    assert (crossing.matches[0].page, crossing.matches[0].page_end) == (2, None)
    briefing = paged_assistant.brief(bullets=3)
    pdf_citations = [c for b in briefing.bullets for c in b.citations if c.source == "report.pdf"]
    assert pdf_citations and all(c.page for c in pdf_citations)

    monkeypatch.setenv("RAG_CORPUS_DIR", str(paged_assistant.settings.corpus_dir))
    monkeypatch.setenv("RAG_INDEX_DIR", str(paged_assistant.settings.index_dir))
    monkeypatch.setenv("RAG_GENERATOR", "extractive")
    assert main(["find", "The orchard in Lyon produced 40 tonnes of cherries"]) == 0
    assert "report.pdf p. 2 [" in capsys.readouterr().out
    assert main(["index", "--json"]) == 0  # nothing changed: no health rows
    assert json.loads(capsys.readouterr().out)["health"] == []


def test_index_json_reports_health_and_warns_about_broken_documents(tmp_path, embedder, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    glued = " ".join(["Thisisonesentencewhosespaceswerelostbyapdfextractor."] * 30)
    (corpus / "glued.txt").write_text(glued + "\n\nA normal sentence follows here.\n")
    (corpus / "fine.txt").write_text("A short and well read note about apples.\n")
    env = {"RAG_CORPUS_DIR": str(corpus), "RAG_INDEX_DIR": str(tmp_path / "index")}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        assert main(["index", "--json"]) == 0
        out, _ = capsys.readouterr()
        health = {h["source"]: h for h in json.loads(out)["health"]}
        assert set(health) == {"glued.txt", "fine.txt"}
        assert health["glued.txt"]["garbled_share"] > 0.5 and health["glued.txt"]["warnings"]
        assert health["fine.txt"]["warnings"] == [] and health["fine.txt"]["pages"] == 0
        (corpus / "fine.txt").write_text("An updated note about pears.\n")
        assert main(["index"]) == 0
        _, err = capsys.readouterr()
        assert "glued.txt looks badly read" not in err  # unchanged documents are not re-reported
        (corpus / "glued.txt").write_text(glued + " Again.\n")
        assert main(["index"]) == 0
        _, err = capsys.readouterr()
        assert "rag: warning: glued.txt looks badly read: " in err and "glued together" in err


def test_ui_sources_and_viewer_show_page_and_section():
    text = "Page one.\n\nPage two has the quote."
    document = Document(
        "r.pdf", text, "h", "R", "en", pages=(0, 11), sections=((11, "6.2 › apt-get"),)
    )
    start = text.index("the quote")
    citation = Citation(1, "r.pdf", start, start + 9, "the quote", 2, None, "6.2 › apt-get")
    answer = Answer("q", "It has it [1].", True, (citation,), (), "extractive")
    assert "p. 2 · 6.2 › apt-get" in sources_html(answer)

    class _Snapshot:
        def document_by_source(self, source: str) -> Document | None:
            return document if source == "r.pdf" else None

    page = source_html(_Snapshot(), "r.pdf", start, start + 9)  # type: ignore[arg-type]
    assert "p. 2 · 6.2 › apt-get" in page


def test_documents_tab_shows_a_health_line_per_document(paged_assistant):
    from ui.library import Library
    from ui.panels import documents_html

    rows = {row["source"]: row for row in Library(paged_assistant).documents()}
    assert rows["report.pdf"]["health"].startswith("3 pages · ")
    assert "2 sections" in rows["guide.md"]["health"] and rows["guide.md"]["warnings"] == []
    broken = {**rows["report.pdf"], "warnings": ["9 of 10 pages have no text"]}
    html = documents_html([rows["guide.md"], broken])
    assert 'class="rag-doc-health"' in html
    assert "Looks badly read: 9 of 10 pages have no text" in html
