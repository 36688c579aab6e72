"""Markers in generated text become renumbered, verbatim, sentence-sized citations."""

from __future__ import annotations

import re

import pytest

from rag.citations import CitationMismatch, cite, verify
from rag.types import Citation


@pytest.fixture(scope="module")
def passages(seed_assistant):
    return seed_assistant.retrieve("Qui est le PDG de Nvidia ?", k=3)


@pytest.mark.parametrize(
    ("draft", "expected_markers"),
    [
        ("Jensen Huang [1].", ["[1]"]),
        ("A [2]. B [1].", ["[1]", "[2]"]),  # renumbered in order of appearance
        ("A [1, 2].", ["[1][2]"]),
        ("A [7]. B [0].", []),  # keys that don't exist are dropped
        ("Jensen Huang [1]. Jensen Huang [1].", ["[1]", "[1]"]),  # one quote, cited twice
    ],
)
def test_markers_are_renumbered_and_unknown_ones_dropped(
    seed_assistant, passages, draft, expected_markers
):
    text, citations = cite(seed_assistant.snapshot(), draft, passages)
    assert re.findall(r"(?:\[\d+\])+", text) == expected_markers
    assert [c.n for c in citations] == list(range(1, len(citations) + 1))
    verify(seed_assistant.snapshot(), citations)


def test_quote_is_the_best_matching_sentence_not_the_chunk(seed_assistant, passages):
    snapshot = seed_assistant.snapshot()
    claim = "Le PDG de Nvidia, Jensen Huang, a déclaré que la Chine n’était pas derrière [1]."
    nvidia = [p for p in passages if "Jensen Huang" in p.chunk.text]
    _, citations = cite(snapshot, claim, nvidia)
    assert citations[0].quote.startswith("Le PDG de Nvidia, Jensen Huang")
    assert len(citations[0].quote) < len(nvidia[0].chunk.text)


def test_verify_rejects_a_quote_that_is_not_at_its_offsets(seed_assistant):
    snapshot = seed_assistant.snapshot()
    source = next(iter(snapshot.records))
    with pytest.raises(CitationMismatch):
        verify(snapshot, [Citation(1, source, 0, 5, "Hello")])


def test_a_fragment_inside_the_claim_does_not_beat_the_sentence_it_is_part_of():
    from rag.citations import _resemblance
    from rag.generation.cite import Quote

    claim = "D'après debian-faq.fr.pdf : Le paquet est construit avec dpkg-buildpackage."
    sentence = Quote(1, "a", 0, 52, "Le paquet est construit avec dpkg-buildpackage.", 0)
    fragment = Quote(1, "a", 53, 59, "paquet", 1)
    colon = Quote(1, "a", 60, 61, ":", 2)
    score = _resemblance(claim, sentence)
    assert score > _resemblance(claim, fragment)
    assert score > _resemblance(claim, colon)
