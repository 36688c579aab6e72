"""Scoring a retriever: sources deduplicated in rank order, metrics over questions with gold."""

from __future__ import annotations

import pytest

from rag.eval.records import EvalQuestion
from rag.eval.retrieval_eval import (
    RetrievalOutcome,
    ranked_sources,
    retrieval_metrics,
    run_retrieval,
)
from rag.types import Chunk, Passage


def _passage(source: str, index: int = 0) -> Passage:
    return Passage(Chunk(source, source, index, 0, 1, "x"), 1.0)


class ScriptedRetriever:
    """Returns a fixed ranking per question and records what it was asked for."""

    name = "scripted"

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, int]] = []

    def retrieve(self, question: str, k: int) -> list[Passage]:
        self.asked.append((question, k))
        return [_passage(s, i) for i, s in enumerate(self.answers[question])][:k]


def test_ranked_sources_keeps_first_occurrence_and_depth() -> None:
    passages = [_passage("a"), _passage("a", 1), _passage("b"), _passage("c")]
    assert ranked_sources(passages) == ("a", "b", "c")
    assert ranked_sources(passages, depth=2) == ("a", "b")


def test_run_and_score() -> None:
    questions = [
        EvalQuestion("q1", "one?", "en", ("a",)),
        EvalQuestion("q2", "two?", "en", ("b",)),
        EvalQuestion("q3", "three?", "en", ("z",)),
        EvalQuestion("q4", "unanswerable?", "en", ("a",), answerable=False),
    ]
    retriever = ScriptedRetriever(
        {"one?": ["a", "b"], "two?": ["a", "a", "b"], "three?": ["a"], "unanswerable?": ["a"]}
    )
    outcomes = run_retrieval(retriever, questions)
    assert [o.sources for o in outcomes][:2] == [("a", "b"), ("a", "b")]
    assert all(k == 40 for _, k in retriever.asked)  # deep enough for 10 distinct sources
    metrics = retrieval_metrics(outcomes, questions)
    assert metrics["questions"] == 3  # the unanswerable question has no gold document
    assert metrics["recall@1"] == pytest.approx(1 / 3)
    assert metrics["recall@5"] == pytest.approx(2 / 3)
    assert metrics["mrr"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert metrics["retrieve_ms_p50"] >= 0


def test_metrics_ignore_outcomes_of_unknown_questions() -> None:
    questions = [EvalQuestion("q1", "one?", "en", ("a",))]
    outcomes = [RetrievalOutcome("q1", ("a",), 1.0), RetrievalOutcome("other", ("b",), 3.0)]
    assert retrieval_metrics(outcomes, questions)["recall@1"] == 1.0
