"""The best sentence from a document that names what the question names (hand-made evidence,
then a small corpus of our own where the closest sentence is from another document)."""

from __future__ import annotations

import pytest

from rag.generation.base import Evidence
from rag.pipeline import Assistant
from rag.retrieval.answerability import (
    document_context,
    features,
    question_anchors,
    searchable_has,
)
from rag.retrieval.named_choice import NAMED_MARGIN, prefer_named
from rag.types import Document
from tests.conftest import indexed_assistant

QUESTION = "À qui les Algérois demandent-ils de l'aide pour repousser les Espagnols ?"
ACADIE = (
    "La Déportation des Acadiens débute en 1755. Après la guerre, les vétérans acadiens "
    "demandent de l'aide, avec les anglophones, auprès du gouvernement. Les Acadiens doivent "
    "demander une concession pour se reloger.\n"
)
ALGER = (
    "En 1516, les Espagnols occupent un îlot face au port. Les Algérois font alors appel aux "
    "corsaires turcs. La ville devient ensuite une base de la course en Méditerranée.\n"
)
TEXTS = {"acadie.txt": ACADIE, "alger.txt": ALGER}


def _sentence(source: str, text: str, score: float) -> Evidence:
    return Evidence(1, source, 0, len(text), text, score)


def test_a_close_sentence_from_the_named_document_replaces_the_best() -> None:
    off = _sentence("acadie.txt", "Les vétérans acadiens demandent de l'aide.", 0.876)
    named = _sentence("alger.txt", "Les Algérois font alors appel aux corsaires turcs.", 0.864)
    after = _sentence("acadie.txt", "Les Acadiens doivent demander une concession.", 0.838)
    evidence = [off, named, after]
    assert prefer_named(QUESTION, evidence, lambda e: TEXTS[e.source]) == [named, after]
    # Out of reach, or a best sentence whose document has the names: nothing changes.
    far = _sentence("alger.txt", named.text, off.score - NAMED_MARGIN - 0.001)
    assert prefer_named(QUESTION, [off, far], lambda e: TEXTS[e.source]) == [off, far]
    assert prefer_named(QUESTION, [named, off], lambda e: TEXTS[e.source]) == [named, off]


def test_numbers_alone_move_nothing() -> None:
    # A year is written in many documents about other things: it says little about which one
    # the question is about.
    question = "Quelle ligne a été fermée en 2016 ?"
    best = _sentence("a.txt", "La ligne B est la plus fréquentée.", 0.85)
    dated = _sentence("b.txt", "Une classe moyenne se développe.", 0.84)
    texts = {"a.txt": best.text, "b.txt": "En 2016, une classe moyenne se développe."}
    assert prefer_named(question, [best, dated], lambda e: texts[e.source]) == [best, dated]


def test_names_are_looked_for_in_the_document_path_and_title_too() -> None:
    text = "À l'automne, il ingurgite une grande quantité d'eau et se met à enfler démesurément."
    document = Document("biographies/Jakob_Böhme/003.txt", text, "h", "003", "fr")
    question = "Pourquoi Jakob Böhme enfle-t-il ?"
    evidence = [_sentence(document.source, text, 0.85)]
    assert features(question, evidence, "fr", text).missing_anchors == ("Jakob Böhme",)
    assert features(question, evidence, "fr", document_context(document)).missing_anchors == ()


def test_a_season_and_a_hyphenated_title_are_read_as_written() -> None:
    assert searchable_has("Lors des saisons 1930-1931 et 1931-1932", "1930-31")
    assert not searchable_has("Lors des saisons 1930-1931 et 1931-1932", "1929-30")
    # "vice-Roi" is the viceroy: no name "Roi" that the documents would have to mention.
    assert question_anchors("Quelle fut la prochaine cible du vice-Roi à Akhalkalaki ?") == [
        "Akhalkalaki"
    ]
    assert question_anchors("Qui règne à Saint-Pétersbourg ?") == ["Saint-Pétersbourg"]


@pytest.fixture(scope="module")
def coasts(tmp_path_factory, embedder) -> Assistant:
    return indexed_assistant(tmp_path_factory, embedder, "coasts", TEXTS)


def test_the_question_is_answered_from_the_document_that_names_it(coasts: Assistant) -> None:
    from rag.retrieval.evidence import score_sentences

    snapshot = coasts.snapshot()
    vector = coasts.embedder.embed_query(QUESTION)
    passages, _, _ = coasts.evidence(QUESTION, snapshot)
    closest = score_sentences(snapshot, coasts.sentence_vectors, QUESTION, vector, passages)[0]
    # The closest sentence by similarity is the Acadian veterans' (no Algérois, no Espagnols):
    # answered from it, the question was declined with both names "missing".
    assert closest.source == "acadie.txt"
    answer = coasts.ask(QUESTION)
    assert answer.answerable, answer.decline
    assert [c.source for c in answer.citations] == ["alger.txt"]
    assert "corsaires turcs" in answer.text
