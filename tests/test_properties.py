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
