"""Page HTML without a browser: escaping, citation links, viewer windows, names and settings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from rag.generation.base import Turn
from rag.settings import Settings
from rag.types import Answer, AnswerSentence, Chunk, Citation, Document, Passage
from ui.app import access_warning, launch_options, parse_auth
from ui.library import safe_name
from ui.render import answer_html, link_markers
from ui.services import Services
from ui.viewer import parse_request, source_html

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _answer(text: str, quote: str, **extra) -> Answer:  # type: ignore[no-untyped-def]
    chunk = Chunk("a&b.txt", "d", 0, 0, 100, quote)
    return Answer(
        question="q",
        text=text,
        answerable=True,
        citations=(Citation(1, "a&b.txt", 10, 10 + len(quote), quote),),
        passages=(Passage(chunk, 0.5),),
        generator="extractive",
        **extra,
    )


def test_answer_text_and_quotes_are_escaped() -> None:
    page = answer_html(_answer(f"He wrote {HOSTILE} [1]", HOSTILE))
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="#cite?source=a%26b.txt&amp;start=10&amp;end=' in page
    assert "score 0.50" in page


@pytest.mark.parametrize(
    ("raw", "links"),
    [("x [1]", 1), ("x [1][1]", 2), ("x [2]", 0), ("x [a]", 0), ("[1] y", 1)],
)
def test_only_known_markers_become_links(raw: str, links: int) -> None:
    citations = {1: Citation(1, "s.txt", 0, 3, "abc")}
    assert link_markers(raw, citations).count('class="rag-cite"') == links


def test_unsupported_sentences_are_marked() -> None:
    sentences = (
        AnswerSentence("Supported claim [1]", (1,), True),
        AnswerSentence("Made-up claim.", (), False),
    )
    page = answer_html(_answer("Supported claim [1] Made-up claim.", "quote", sentences=sentences))
    assert page.count("rag-unsupported") == 1
    assert 'class="rag-cite"' in page


def test_partly_supported_sentences_are_marked_apart_from_unsupported_ones() -> None:
    sentences = (
        AnswerSentence("Half-backed claim [1]", (1,), False, "partly"),
        AnswerSentence("Made-up claim.", (), False, "unsupported"),
    )
    page = answer_html(_answer("Half-backed claim [1] Made-up claim.", "q", sentences=sentences))
    assert page.count("rag-partly") == 1 and page.count("rag-unsupported") == 1
    assert "Partly supported" in page


def test_not_an_answer_reads_apart_from_not_in_the_documents() -> None:
    missing = Answer("q", "The documents mention X, but not Y.", False, (), (), "extractive")
    off = replace(missing, not_an_answer=True)
    assert "Not in the documents." in answer_html(missing)
    page = answer_html(off)
    assert "Not an answer to the question." in page and "rag-not-an-answer" in page
    assert "Not in the documents." not in page


def test_a_decline_looks_different_from_an_answer() -> None:
    declined = Answer("q", "The documents don't say.", False, (), (), "extractive")
    page = answer_html(declined)
    assert "rag-decline" in page and "rag-answer" not in page


class _Snapshot:
    def __init__(self, document: Document) -> None:
        self.document = document

    def document_by_source(self, source: str) -> Document | None:
        return self.document if source == self.document.source else None


def test_viewer_escapes_the_document_and_marks_the_span() -> None:
    text = f"Intro. {HOSTILE} Outro."
    document = Document("x.txt", text, "h", "<b>Title</b>", "en")
    start = text.index("<script")
    page = source_html(_Snapshot(document), "x.txt", start, start + len(HOSTILE))  # type: ignore[arg-type]
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert '<mark class="rag-hit" id="rag-hit">&lt;script&gt;' in page
    missing = source_html(_Snapshot(document), "../etc/passwd", 0, 5)  # type: ignore[arg-type]
    assert "not an indexed document" in missing


@pytest.mark.parametrize(
    ("data", "parsed"),
    [
        (["a.txt", 3, 9], ("a.txt", 3, 9)),
        ([["a.txt", "3", "9"]], ("a.txt", 3, 9)),
        (["a.txt", -4, "x"], ("", 0, 0)),
        (None, ("", 0, 0)),
        (["a.txt"], ("", 0, 0)),
    ],
)
def test_viewer_requests_are_parsed_defensively(data, parsed) -> None:  # type: ignore[no-untyped-def]
    assert parse_request(data) == parsed


@pytest.mark.parametrize(
    ("original", "safe"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\notes.md", "notes.md"),
        (".hidden.txt", "hidden.txt"),
        ("a<b>|c.txt", "a_b_c.txt"),
        ("Étude été.txt", "Étude été.txt"),
        ("", "upload"),
        ("x" * 300 + ".txt", "x" * 116 + ".txt"),
    ],
)
def test_uploaded_file_names_are_made_safe(original: str, safe: str) -> None:
    assert safe_name(original) == safe


def test_login_setting_and_exposure_warning() -> None:
    assert parse_auth(None) is None
    assert parse_auth("ann:pw1, bob:p:w") == [("ann", "pw1"), ("bob", "p:w")]
    with pytest.raises(ValueError, match="user:password"):
        parse_auth("ann")
    assert access_warning(Settings(host="127.0.0.1")) is None
    assert access_warning(Settings(host="0.0.0.0", auth="ann:pw")) is None
    warning = access_warning(Settings(host="0.0.0.0"))
    assert warning and "RAG_AUTH" in warning
    options = launch_options(Settings(host="0.0.0.0", auth="ann:pw", upload_max_mb=3))
    assert options["auth"] == [("ann", "pw")] and options["max_file_size"] == "3mb"


class _RecordingAssistant:
    def __init__(self) -> None:
        self.histories: list[tuple[Turn, ...]] = []

    def ask_stream(
        self, question: str, history: tuple[Turn, ...] = (), sources: object = None
    ) -> Iterator[str]:
        self.histories.append(history)
        yield "answer"


def test_follow_ups_get_the_last_turns_of_the_conversation() -> None:
    assistant = _RecordingAssistant()
    turns = [(f"q{i}", f"a{i}") for i in range(5)]
    assert list(Services(assistant).answer_stream("next", turns)) == ["answer"]  # type: ignore[arg-type]
    assert assistant.histories == [(Turn("q2", "a2"), Turn("q3", "a3"), Turn("q4", "a4"))]
