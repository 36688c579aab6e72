"""Properties of find's normalisation: every normalised character maps back into the original."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from rag.find.exact import find_normalised
from rag.find.normalise import find_words, normalise, snap_to_words
from rag.ingest.loader import text_hash
from rag.types import Document

# Letters, accents precomposed and combining, ligatures, French punctuation and odd spaces.
ALPHABET = [
    *"abcdeéèêàçôùEÉÀÇŒœæßﬁ0123 ,.;:!?-–—'’«»\"“”()\n\t",
    "\u00a0",
    "\u202f",
    "\u0301",
    "\u00ad",
]
texts = st.text(alphabet=ALPHABET, max_size=80)


@given(texts)
def test_every_normalised_character_has_an_origin(text):
    folded = normalise(text)
    assert len(folded.origin) == len(folded.text)
    assert list(folded.origin) == sorted(folded.origin)
    assert all(0 <= i < len(text) for i in folded.origin)
    assert not folded.text.startswith(" ") and not folded.text.endswith(" ")
    assert "  " not in folded.text


@given(texts, st.data())
def test_a_normalised_span_maps_to_original_text_that_normalises_to_it(text, data):
    folded = normalise(text)
    if not folded.text:
        return
    i = data.draw(st.integers(0, len(folded.text) - 1))
    j = data.draw(st.integers(i + 1, len(folded.text)))
    i, j = snap_to_words(folded.text, i, j)
    if i >= j:
        return
    start, end = folded.original_span(i, j)
    assert folded.text[i:j] == normalise(text[start:end]).text


@given(texts)
def test_normalisation_is_idempotent(text):
    once = normalise(text).text
    assert normalise(once).text == once


@given(texts)
def test_typing_variants_normalise_alike(text):
    typed = (
        unicodedata.normalize("NFD", text)
        .replace("’", "'")
        .replace("«", '"')
        .replace("»", '"')
        .replace("\u00a0", " ")
        .upper()
    )
    assert normalise(typed).text == normalise(text).text


@settings(max_examples=200)
@given(st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=12), min_size=1, max_size=12))
def test_normalised_matches_quote_the_document_verbatim(words):
    text = " ".join(words)
    folded = normalise(text)
    if not folded.text:
        return
    query = folded.text.split(" ")[len(folded.text.split(" ")) // 2]
    document = Document("d.txt", text, text_hash(text), "d", "fr")
    matches = find_normalised(document, folded, query)
    assert len(matches) == len(find_words(folded.text, query)) >= 1
    for match in matches:
        assert match.quote == text[match.start : match.end]
        assert normalise(match.quote).text == query


def test_french_typography_folds_to_plain_words():
    folded = normalise("L’IA « partout dans le monde » – mise en œuvre, ﬁn.")
    assert folded.text == "l ia partout dans le monde mise en oeuvre fin"


def test_words_match_only_on_boundaries():
    assert find_words("la puce partout", "art") == []
    assert find_words("la puce partout", "puce") == [3]
