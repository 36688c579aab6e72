"""Date and number questions: the quote that gives the date, and the explained decline when no
close sentence gives the number (hand-made evidence, then small corpora of our own)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rag.answer_type import AnswerType, mentions
from rag.decline import describe
from rag.generation.base import Evidence, GenerationRequest
from rag.pipeline import Assistant
from rag.retrieval.typed_choice import CHOICE_MARGIN, missing_type, prefer_typed
from rag.types import Answer
from tests.conftest import indexed_assistant


def _sentence(text: str, score: float, kind: str = "text") -> Evidence:
    return Evidence(1, "doc.txt", 0, len(text), text, score, kind)


def test_a_close_sentence_with_the_number_is_preferred_to_the_echo() -> None:
    question = "How many customers does Sky UK Limited have?"
    echo = _sentence("Sky UK Limited is a British telecommunications company.", 0.918)
    figure = _sentence("It is the largest pay-TV broadcaster with 11 million customers.", 0.902)
    far = _sentence("It had 12 offices in 1990.", 0.918 - CHOICE_MARGIN - 0.01)
    assert prefer_typed(question, [echo, figure, far], echo) is figure
    # Out of reach, or a question that asks for no number: the best sentence stays.
    assert prefer_typed(question, [echo, far], echo) is echo
    assert prefer_typed("What does Sky UK Limited sell?", [echo, figure], echo) is echo


def test_the_question_own_number_and_a_unit_it_does_not_name_are_no_answer() -> None:
    question = "How much disk space does Debian 12 need?"
    best = _sentence("Debian 12 ships approximately 1000 packages.", 0.88)
    assert missing_type(question, [best]) is AnswerType.NUMBER
    sized = _sentence("A full Debian 12 mirror needs about 4 TB.", 0.87)
    assert missing_type(question, [best, sized]) is None
    assert prefer_typed(question, [best, sized], best) is sized


def test_a_heading_is_never_the_typed_choice() -> None:
    question = "En quelle année le projet a-t-il été créé ?"
    best = _sentence("Le projet est né d'une annonce sur Usenet.", 0.90)
    heading = _sentence("1993 : les débuts", 0.90, kind="heading")
    assert prefer_typed(question, [best, heading], best) is best
    assert missing_type(question, [best, heading]) is AnswerType.DATE


VIADUCT = (
    "Le viaduc de Millau franchit la vallée du Tarn dans l'Aveyron. "
    "Le viaduc de Millau a été inauguré en grande pompe devant une foule venue de toute la "
    "région. "
    "Le viaduc fut inauguré le mardi 14 décembre 2004 par le président de la République. "
    "Ses piles sont les plus hautes de France.\n"
)
GORGES = (
    "Le Tarn est une rivière du sud de la France. Il prend sa source sur le mont Lozère et "
    "traverse des gorges profondes. Les villages des gorges vivent du tourisme et de la pêche. "
    "Les crues du Tarn ont souvent inondé les bourgs riverains.\n"
)
CAUSSES = (
    "Les causses sont des plateaux calcaires du Massif central. Les brebis y paissent l'herbe "
    "rase, et leur lait donne le roquefort, affiné dans les caves de Roquefort-sur-Soulzon.\n"
)


@pytest.fixture(scope="module")
def viaduct(tmp_path_factory, embedder) -> Assistant:
    return indexed_assistant(tmp_path_factory, embedder, "viaduct", {"millau.txt": VIADUCT})


@pytest.fixture(scope="module")
def plateaus(tmp_path_factory, embedder) -> Assistant:
    documents = {"tarn.txt": GORGES, "causses.txt": CAUSSES}
    return indexed_assistant(tmp_path_factory, embedder, "plateaus", documents)


def test_a_date_question_quotes_the_dated_sentence_not_the_echo(viaduct: Assistant) -> None:
    question = "Quand le viaduc de Millau a-t-il été inauguré ?"
    _, evidence, _ = viaduct.evidence(question)
    best = max(evidence, key=lambda e: e.score)
    assert not mentions(best.text, AnswerType.DATE), best.text  # the echo scores highest
    answer = viaduct.ask(question)
    assert answer.answerable, answer.text
    assert [c.quote for c in answer.citations] == [
        "Le viaduc fut inauguré le mardi 14 décembre 2004 par le président de la République."
    ]


@pytest.mark.parametrize(
    ("question", "language", "line"),
    [
        (
            "Combien d'habitants vivent dans les gorges du Tarn ?",
            "fr",
            "J'ai cherché un nombre ; les passages les plus proches n'en donnent pas.",
        ),
        (
            "How many inhabitants live in the Tarn gorges?",
            "en",
            "Looked for a number; the closest passages give none.",
        ),
    ],
)
def test_a_number_question_over_documents_without_numbers_is_declined_and_says_so(
    plateaus: Assistant, question: str, language: str, line: str
) -> None:
    answer = plateaus.ask(question)
    assert not answer.answerable, answer.text
    assert answer.citations == ()
    decline = answer.decline
    assert decline is not None
    # The similarity alone would have answered: the decline is the number's absence.
    assert decline.confidence >= decline.threshold
    assert decline.expected == "number" and not decline.type_found
    assert line in describe(decline, language)
    assert decline.closest and decline.closest[0].source == "tarn.txt"


class _ScriptedLLM:
    """An LLM stand-in that would answer with the closest sentence; records that it was asked."""

    name = "scripted"

    def __init__(self) -> None:
        self.asked = 0

    def generate(self, request: GenerationRequest) -> Iterator[str]:
        self.asked += 1
        yield "Les villages des gorges vivent du tourisme et de la pêche [1]."


def test_with_an_llm_the_number_question_is_declined_before_any_quote_or_draft(
    plateaus: Assistant,
) -> None:
    assistant = Assistant(plateaus.settings, embedder=plateaus.embedder)
    llm = _ScriptedLLM()
    assistant.drafter._generator = llm
    shown: list[Answer] = []
    answer = assistant.ask(
        "Combien d'habitants vivent dans les gorges du Tarn ?", on_quoted=shown.append
    )
    assert not answer.answerable and answer.decline is not None
    assert answer.decline.expected == "number" and not answer.decline.type_found
    assert shown == [] and llm.asked == 0  # no non-answer quoted first, no draft written
