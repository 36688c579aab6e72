"""Answer scoring: verbatim citations, gold coverage, F1, keywords and refusal metrics."""

from __future__ import annotations

import pytest

from rag.eval.answer_eval import (
    AnswerOutcome,
    answer_metrics,
    answer_text,
    citation_is_verbatim,
    gold_coverage,
)
from rag.eval.records import EvalQuestion
from rag.types import Answer, Citation

TEXT = "Le rapport a été publié mardi.\u00a0Il cite «\u00a0Jensen Huang\u00a0» deux fois."
TEXTS = {"doc.txt": TEXT}


def _citation(quote: str, n: int = 1, source: str = "doc.txt") -> Citation:
    start = TEXT.find(quote)
    return Citation(n, source, start, start + len(quote), quote)


def _answer(
    citations: tuple[Citation, ...], answerable: bool = True, confidence: float = 0.9
) -> Answer:
    text = " ".join(f"« {c.quote} » [{c.n}]" for c in citations) or "The documents don't say."
    return Answer("q", text, answerable, citations, (), "extractive", {"total": 5.0}, confidence)


def test_citation_must_match_the_document_exactly() -> None:
    good = _citation("publié mardi")
    assert citation_is_verbatim(good, TEXTS)
    assert not citation_is_verbatim(
        Citation(1, "doc.txt", good.start + 1, good.end, good.quote), TEXTS
    )
    assert not citation_is_verbatim(
        Citation(1, "other.txt", good.start, good.end, good.quote), TEXTS
    )


@pytest.mark.parametrize(
    ("cited", "gold", "share"),
    [
        ("publié mardi", "publié mardi", 1.0),
        ("Le rapport a été publié mardi.", "publié mardi", 1.0),
        ("publié", "publié mardi", 6 / 12),
        ("deux fois", "publié mardi", 0.0),
        ("Jensen Huang", "« Jensen Huang »", 12 / 16),  # the gold quote spans the « » too
    ],
)
def test_gold_coverage_is_the_covered_share_of_the_quote(
    cited: str, gold: str, share: float
) -> None:
    question = EvalQuestion("q", "?", "fr", ("doc.txt",), gold_quotes=(gold,))
    assert gold_coverage([_citation(cited)], question, TEXTS) == pytest.approx(share)


def test_gold_coverage_is_none_without_a_gold_quote() -> None:
    question = EvalQuestion("q", "?", "fr", ("doc.txt",))
    assert gold_coverage([_citation("publié")], question, TEXTS) is None


def test_answer_text_is_the_quotes_when_cited() -> None:
    assert answer_text(_answer((_citation("publié mardi"),))) == "publié mardi"
    assert answer_text(_answer(())) == "The documents don't say."


def test_answer_metrics_over_a_mixed_set() -> None:
    questions = [
        EvalQuestion("a", "when?", "fr", ("doc.txt",), answers=("mardi",),
                     keyword_groups=(("mardi", "Tuesday"),), gold_quotes=("publié mardi",)),
        EvalQuestion("b", "who?", "fr", ("doc.txt",), answers=("Jensen Huang",),
                     keyword_groups=(("Altman",),), gold_quotes=("Jensen Huang",)),
        EvalQuestion("c", "unanswerable?", "fr", (), answerable=False),
        EvalQuestion("d", "unanswerable too?", "fr", (), answerable=False),
    ]  # fmt: skip
    outcomes = [
        AnswerOutcome("a", _answer((_citation("publié mardi"),), confidence=0.9), 5.0),
        AnswerOutcome("b", _answer((_citation("Jensen Huang"),), confidence=0.3), 5.0),
        AnswerOutcome("c", _answer((), answerable=False, confidence=0.2), 5.0),
        AnswerOutcome("d", _answer((_citation("deux fois"),), confidence=0.6), 5.0),
    ]
    metrics = answer_metrics(outcomes, questions, TEXTS)
    assert metrics["answered"] == 0.75
    assert metrics["citation_validity"] == 1.0
    assert metrics["gold_coverage"] == 1.0
    assert metrics["answer_f1"] == pytest.approx(
        (2 * 0.5 / 1.5 + 1.0) / 2
    )  # "publie mardi" vs "mardi"
    assert metrics["keyword_accuracy"] == 0.5
    assert metrics["refusal_precision"] == 1.0 and metrics["refusal_recall"] == 0.5
    assert metrics["answerability_auroc"] == pytest.approx(0.75)
    assert metrics["total_ms_p50"] == 5.0
