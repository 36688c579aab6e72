"""Property-based tests: the citation parser and ingestion of arbitrary bytes."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.citations import MARKER, cite, verify
from rag.ingest.readers import READERS, Extracted, UnreadableFile
from rag.store.manifest import DocumentRecord
from rag.store.snapshot import IndexSnapshot
from rag.types import Chunk, Document, Passage

TEXT = "Le chat dort. Il pleut à Paris. The CEO is Sam Altman. Prices rose 12 percent."
SENTENCES = tuple((m.start(), m.end()) for m in re.finditer(r"[^.]+\.", TEXT))
SENTENCES = tuple((s + (TEXT[s] == " "), e) for s, e in SENTENCES)


def _snapshot() -> tuple[IndexSnapshot, list[Passage]]:
    document = Document("doc.txt", TEXT, "h", "Doc", "fr", SENTENCES)
    spans = [(SENTENCES[0][0], SENTENCES[1][1]), (SENTENCES[2][0], SENTENCES[3][1])]
    chunks = [
        Chunk("doc.txt", document.doc_id, i, s, e, TEXT[s:e]) for i, (s, e) in enumerate(spans)
    ]
    snapshot = IndexSnapshot(
        records={
            "doc.txt": DocumentRecord("doc.txt", document.doc_id, "h", "f", 1, 1, "D", "fr", 2, 0)
        },
        documents={document.doc_id: document},
        chunks={c.chunk_id: c for c in chunks},
        chunk_order=[c.chunk_id for c in chunks],
        vectors=None,  # type: ignore[arg-type]
        sentences=None,  # type: ignore[arg-type]
        version="1",
    )
    return snapshot, [Passage(c, 1.0) for c in chunks]


SNAPSHOT, PASSAGES = _snapshot()
words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
markers = st.lists(st.integers(min_value=-2, max_value=6), min_size=1, max_size=3).map(
    lambda ns: "[" + ", ".join(str(n) for n in ns) + "]"
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(words, markers), max_size=12))
def test_cite_renumbers_in_order_and_drops_unknown_markers(pieces: list[str]):
    answer = "".join(pieces)
    text, citations = cite(SNAPSHOT, answer, PASSAGES)
    assert [c.n for c in citations] == list(range(1, len(citations) + 1))
    used = [int(n) for m in MARKER.finditer(text) for n in re.split(r"\s*,\s*", m.group(1))]
    # Every marker left in the text names a citation, and the first uses come in order.
    assert set(used) <= {c.n for c in citations} | set(_literal_numbers(answer))
    first_uses = list(dict.fromkeys(n for n in used if n <= len(citations)))
    assert first_uses == sorted(first_uses) or _has_literal_brackets(answer)
    verify(SNAPSHOT, citations)  # every quote is the document's text at its offsets
    for citation in citations:
        assert any(citation.quote == TEXT[s:e] for s, e in SENTENCES)


def _literal_numbers(answer: str) -> list[int]:
    """Numbers in brackets the answer's words themselves produce (not generator markers)."""
    return [int(n) for m in MARKER.finditer(answer) for n in re.split(r"\s*,\s*", m.group(1))]


def _has_literal_brackets(answer: str) -> bool:
    return bool(MARKER.search(answer))


@pytest.mark.parametrize(
    ("raw", "clean", "quotes"),
    [
        ("Sam Altman [2].", "Sam Altman [1].", 1),
        ("Il pleut [1] et Altman [2, 9].", "Il pleut [1] et Altman [2].", 2),
        ("Nothing [7].", "Nothing.", 0),
        ("Altman [2] et Altman [2].", "Altman [1] et Altman [1].", 1),
        ("[0] [-1] [3]", "[-1]", 0),
    ],
)
def test_cite_table(raw: str, clean: str, quotes: int):
    text, citations = cite(SNAPSHOT, raw, PASSAGES)
    assert text == clean and len(citations) == quotes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(sorted(READERS)))
def test_any_bytes_either_read_as_text_or_refused_with_a_reason(data: bytes, suffix: str):
    try:
        extracted = READERS[suffix](data)
    except UnreadableFile as error:
        assert str(error) and "\n" not in str(error)
        return
    assert isinstance(extracted, Extracted) and isinstance(extracted.text, str)


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=2048))
def test_any_bytes_in_a_pdf_wrapper_are_refused_cleanly(data: bytes):
    from tests.test_ingest import minimal_pdf

    pdf = minimal_pdf("Hello world")
    cut = len(data) % len(pdf)
    mangled = pdf[:cut] + data + pdf[cut + len(data) :]
    with contextlib.suppress(UnreadableFile):
        READERS[".pdf"](mangled)


_prose = st.text(alphabet=st.sampled_from(list("ab cd.!?()É«»’0\n\n\t ")), max_size=400)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@settings(max_examples=200, deadline=None)
@given(
    text=_prose,
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=4),
    language=st.sampled_from(["fr", "en"]),
)
def test_sentences_are_verbatim_never_cross_paragraphs_and_keep_code_whole(
    text: str, cuts: list[int], language: str
):
    from rag.chunking import split_sentences

    points = sorted({min(c, len(text)) for c in cuts})
    verbatim = tuple(zip(points[0::2], points[1::2], strict=False))
    spans = split_sentences(text, language, verbatim)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        inside_code = any(v_start <= start and end <= v_end for v_start, v_end in verbatim)
        assert inside_code or not _BLANK_LINE.search(text[start:end])
        previous_end = end
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())
    for v_start, v_end in verbatim:
        block = text[v_start:v_end].strip()
        if block:
            assert block in [text[s:e] for s, e in spans]


@settings(max_examples=200, deadline=None)
@given(
    starts=st.lists(st.integers(min_value=1, max_value=500), max_size=6),
    span=st.tuples(st.integers(0, 600), st.integers(0, 600)).map(sorted),
)
def test_locate_names_the_pages_a_span_lies_on(starts: list[int], span: list[int]):
    from rag.locate import locate

    pages = (0, *sorted(starts))
    document = Document("d.pdf", "x" * 600, "h", "d", "en", pages=pages)
    start, end = span
    page, page_end, _ = locate(document, start, end)
    assert page is not None and pages[page - 1] <= start
    assert page == len(pages) or start < pages[page]
    last = page_end or page
    assert last >= page and (page_end is None or page_end > page)
    assert pages[last - 1] <= max(start, end - 1)
