"""`rag find` on the seed article: each kind of match, the not-found case, exact offsets."""

from __future__ import annotations

import numpy as np
import pytest

from rag.find.match import FindResult
from rag.standalone import stands_alone

SENTENCE = "La trajectoire de Huawei est un exemple."
ENFORCEMENT = (
    "La mise en œuvre d’un régime d’application mondial nécessiterait probablement des "
    "négociations bilatérales avec des dizaines de pays"
)


def _document(assistant):
    return next(iter(assistant.snapshot().documents.values()))


def _check_offsets(assistant, result: FindResult) -> None:
    text = _document(assistant).text
    for match in result.matches:
        assert match.quote == text[match.start : match.end]


def _covers(assistant, result: FindResult, needle: str) -> bool:
    top = result.matches[0]
    start = _document(assistant).text.index(needle)
    return top.start <= start + len(needle) and start <= top.end


def test_verbatim_quote_is_exact_with_its_offsets(seed_assistant):
    result = seed_assistant.find(SENTENCE)
    assert result.found
    top = result.matches[0]
    assert (top.kind, top.score, top.quote) == ("exact", 1.0, SENTENCE)
    _check_offsets(seed_assistant, result)


@pytest.mark.parametrize(
    "query",
    [
        # straight apostrophes and quotes, no non-breaking spaces
        'l\'utilisation des puces Ascende AI de Huawei "partout dans le monde" peut violer',
        # no accents, "oe" for "œ", lower case
        "la mise en oeuvre d'un regime d'application mondial necessiterait probablement",
        # « » without their non-breaking spaces
        "qualifié la race dans le développement de l’IA de «race infinie à long terme»",
    ],
)
def test_normalised_quote_is_exact_and_maps_to_the_original_characters(seed_assistant, query):
    result = seed_assistant.find(query)
    assert result.found
    assert result.matches[0].kind == "exact"
    assert result.matches[0].quote != query  # the original typography, not the query's
    _check_offsets(seed_assistant, result)


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        (
            "Le PDG de Nvidia, Jensen Hwang, a declaré que la Chine n'etait pas derriere les "
            "Etats-Unis dans l'inteligence artificielle",
            "Le PDG de Nvidia, Jensen Huang",
        ),
        (
            "la mise en euvre d'un regime d'aplication mondial necessiterai probablement des "
            "negociations bilaterale",
            ENFORCEMENT,
        ),
    ],
)
def test_typod_quote_is_fuzzy_and_aligned_to_a_window(seed_assistant, query, needle):
    result = seed_assistant.find(query)
    assert result.found
    top = result.matches[0]
    assert top.kind == "fuzzy"
    assert _covers(seed_assistant, result, needle)
    # The window, not the whole sentence or chunk: the typo'd quote stops before "dizaines".
    assert "dizaines" not in top.quote
    _check_offsets(seed_assistant, result)


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        pytest.param(  # a French paraphrase
            "Selon Jensen Huang, patron de Nvidia, la Chine ne serait pas en retard sur "
            "l'Amérique en matière d'IA.",
            "Le PDG de Nvidia, Jensen Huang",
            marks=pytest.mark.xfail(
                strict=True,
                reason="probability 0.02 < 0.44 (rag/find/find_model.json): cosine 0.927 and "
                "lead 0.056 are where the written on-topic absent sentences of the public "
                "held-out set lie, and 'Amérique', 'patron', 'retard' are not in the sentence; "
                "its first clause scores 0.955 but clause spans (db4e6a4, reverted) left it at "
                "0.61 < 0.84 (docs/bench-find.md); the model alone: with the in-process LLM, "
                "its second look finds it (tests/test_find_judged.py)",
            ),
        ),
        (  # English translations of French sentences
            "Huawei has asked some Chinese tech companies to test its most powerful processor "
            "yet, the Ascend 910D.",
            "Plus récemment, la société a invité",
        ),
        (
            "The Chinese foreign ministry has repeatedly criticised the US crackdown on China's "
            "semiconductor industry.",
            "Le ministère chinois des Affaires étrangères",
        ),
    ],
)
def test_paraphrase_and_translation_are_semantic_whole_sentences(seed_assistant, query, needle):
    result = seed_assistant.find(query)
    assert result.found
    top = result.matches[0]
    assert top.kind == "semantic"
    assert top.quote.startswith(needle)
    # A semantic match is one sentence or two adjacent ones, never a piece of one.
    sentences = list(_document(seed_assistant).sentences)
    for m in result.matches:
        first = next(n for n, (start, _) in enumerate(sentences) if start == m.start)
        assert m.end in (sentences[first][1], sentences[min(first + 1, len(sentences) - 1)][1])
    _check_offsets(seed_assistant, result)


@pytest.mark.parametrize(
    "query",
    [
        "Apple a présenté un nouvel iPhone lors de sa conférence annuelle.",
        "The European Union fined Google for abusing its dominant position.",
        # On topic, same vocabulary, but the article never says it.
        "Nvidia a annoncé une nouvelle puce destinée au marché chinois.",
    ],
)
def test_a_sentence_the_article_does_not_contain_is_not_found(seed_assistant, query):
    result = seed_assistant.find(query)
    assert not result.found
    assert result.matches == ()


def test_results_serialise_to_the_documented_json(seed_assistant):
    data = seed_assistant.find(SENTENCE).to_json()
    assert set(data) == {"query", "found", "matches"}
    assert set(data["matches"][0]) == {"source", "start", "end", "quote", "score", "kind"}


def test_queries_share_one_finder_and_embed_sentences_once(seed_assistant):
    finder = seed_assistant.finder()
    seed_assistant.find("Huawei's new chip should rival Nvidia's H100.")
    embedded = seed_assistant.embedder.passages_embedded
    seed_assistant.find("Who testified before Congress about AI?")
    assert seed_assistant.finder() is finder
    # The query itself is embedded (as a passage: see Finder.candidates); no sentence is.
    assert seed_assistant.embedder.passages_embedded == embedded + 1


def test_find_reads_sentence_vectors_from_the_index(seed_assistant):
    from rag.pipeline import Assistant

    fresh = Assistant(seed_assistant.settings, embedder=seed_assistant.embedder)
    before = seed_assistant.embedder.passages_embedded
    result = fresh.find("Which chip should rival Nvidia's H100?")
    assert seed_assistant.embedder.passages_embedded == before + 1  # the query only
    assert result.query.startswith("Which chip")
    document = next(iter(fresh.snapshot().documents.values()))
    # The first sentence that stands alone: fragments (the title) have no vector of their own.
    n = next(i for i, (s, e) in enumerate(document.sentences) if stands_alone(document.text[s:e]))
    stored = fresh.store.sentences.vectors([f"{document.doc_id}:{n}"])
    assert np.allclose(fresh.sentence_store.vectors(document)[n], stored[f"{document.doc_id}:{n}"])


def test_a_one_sentence_corpus_never_finds_by_meaning_alone(embedder):
    from rag.find.finder import Finder
    from rag.ingest.loader import text_hash
    from rag.retrieval.evidence import SentenceVectors
    from rag.store.sentence_vectors import DocumentSentenceVectors
    from rag.types import Document

    text = "Huawei a présenté une nouvelle puce."
    document = Document("one.txt", text, text_hash(text), "one", "fr", ((0, len(text)),))
    finder = Finder([document], embedder, DocumentSentenceVectors(SentenceVectors(embedder)))
    assert not finder.find("Nvidia's revenue doubled last quarter.").found
    assert finder.find("Huawei a présenté une nouvelle puce").found  # exact still works


def test_a_translated_passage_of_several_sentences_finds_each_sentence(seed_assistant):
    result = seed_assistant.find(
        "The Chinese foreign ministry has repeatedly criticised the US crackdown on China's "
        "semiconductor industry. Huawei has asked some Chinese tech companies to test its most "
        "powerful processor yet, the Ascend 910D."
    )
    assert result.found
    quotes = [m.quote for m in result.matches[:2]]
    assert any(q.startswith("Le ministère chinois des Affaires étrangères") for q in quotes)
    assert any(q.startswith("Plus récemment, la société a invité") for q in quotes)
    assert all(m.kind == "semantic" for m in result.matches)
