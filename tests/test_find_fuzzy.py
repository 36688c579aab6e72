"""Fuzzy lookup without a model: aligned windows, word-snapped spans, long documents."""

from __future__ import annotations

import random
import time

import pytest

from rag.chunking import split_sentences
from rag.find.fuzzy import find_fuzzy
from rag.find.normalise import normalise
from rag.ingest.loader import text_hash
from rag.types import Document

# A vocabulary as varied as prose (a handful of repeated words would make any quote recur).
_LETTERS = random.Random(0)
WORDS = [
    "".join(
        _LETTERS.choice("abcdefghijklmnopqrstuvwxyzéèà") for _ in range(_LETTERS.randint(2, 11))
    )
    for _ in range(3000)
]


def _document(sentences: int, seed: int = 7) -> Document:
    rng = random.Random(seed)
    lines = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 30))]
        lines.append(" ".join(words).capitalize() + ".")
    text = "\n\n".join(" ".join(lines[i : i + 4]) for i in range(0, len(lines), 4))
    return Document(
        "long.txt", text, text_hash(text), "long", "fr", tuple(split_sentences(text, "fr"))
    )


def _typos(text: str, rng: random.Random, every: int = 25) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // every)):
        chars[rng.randrange(len(chars))] = rng.choice("xyz")
    return "".join(chars)


@pytest.fixture(scope="module")
def long_document() -> Document:
    return _document(1000)


@pytest.mark.parametrize("length", [40, 60, 120, 300])
def test_a_typod_quote_is_found_at_its_place_in_a_long_document(long_document, length):
    document = long_document
    folded = normalise(document.text)
    rng = random.Random(length)
    for _ in range(5):
        start, _ = document.sentences[rng.randrange(len(document.sentences) - 10)]
        quote = document.text[start : start + length]
        began = time.perf_counter()
        match = find_fuzzy(document, folded, normalise(_typos(quote, rng)).text)
        assert time.perf_counter() - began < 3.0
        assert match is not None and match.kind == "fuzzy"
        assert match.quote == document.text[match.start : match.end]
        assert abs(match.start - start) <= 12 and match.score >= 0.75


def test_the_span_is_snapped_to_whole_words_of_the_original():
    document = _document(40)
    folded = normalise(document.text)
    start, end = document.sentences[5]
    words = document.text[start:end].split()
    query = " ".join(words[2:8])
    match = find_fuzzy(document, folded, normalise(_typos(query, random.Random(1), 40)).text)
    assert match is not None
    before = document.text[match.start - 1] if match.start else " "
    after = document.text[match.end] if match.end < len(document.text) else " "
    assert not before.isalnum() and not after.isalnum()


def test_short_queries_are_left_to_exact_and_semantic_lookup():
    document = _document(40)
    assert find_fuzzy(document, normalise(document.text), "la puce") is None
