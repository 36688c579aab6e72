"""Table tests of the pure metric functions."""

from __future__ import annotations

import math

import pytest

from rag.eval.metrics import (
    auroc,
    best_token_f1,
    first_relevant_rank,
    keywords_present,
    normalise_answer,
    percentile,
    recall_at_k,
    reciprocal_rank,
    refusal_precision_recall,
    token_f1,
)

RANKED = ["b", "a", "c", "a"]
TWO_GROUPS = [["trade", "commerce"], ["technology", "technologie"]]


@pytest.mark.parametrize(
    ("gold", "k", "expected"),
    [({"b"}, 1, 1.0), ({"a"}, 1, 0.0), ({"a"}, 2, 1.0), ({"c", "a"}, 2, 1.0), ({"z"}, 10, 0.0)],
)
def test_recall_at_k(gold: set[str], k: int, expected: float) -> None:
    assert recall_at_k(RANKED, gold, k) == expected


@pytest.mark.parametrize(
    ("gold", "rank", "rr"),
    [({"b"}, 1, 1.0), ({"a"}, 2, 0.5), ({"c"}, 3, 1 / 3), ({"z"}, None, 0.0)],
)
def test_rank_and_reciprocal_rank(gold: set[str], rank: int | None, rr: float) -> None:
    assert first_relevant_rank(RANKED, gold) == rank
    assert reciprocal_rank(RANKED, gold) == pytest.approx(rr)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("The Eiffel Tower!", ["eiffel", "tower"]),
        ("l'élève de la classe", ["eleve", "classe"]),
        ("L’Hôpital « Saint-Louis »", ["hopital", "saint", "louis"]),
        ("los años del rey", ["anos", "rey"]),
        ("100 000 €", ["100", "000", "€"]),
    ],
)
def test_normalise_answer(text: str, tokens: list[str]) -> None:
    assert normalise_answer(text) == tokens


@pytest.mark.parametrize(
    ("prediction", "gold", "f1"),
    [
        ("Paris", "paris", 1.0),
        ("la ville de Paris", "Paris", 2 / 3),  # precision 1/2 ("ville", "paris"), recall 1
        ("à l'hôpital", "a l hopital", 1.0),
        ("Denver Broncos", "Carolina Panthers", 0.0),
        ("the", "a", 1.0),  # both empty after normalisation: SQuAD counts them equal
        ("the", "Paris", 0.0),
    ],
)
def test_token_f1(prediction: str, gold: str, f1: float) -> None:
    assert token_f1(prediction, gold) == pytest.approx(f1)


def test_best_token_f1_takes_the_best_gold_and_zero_without_gold() -> None:
    assert best_token_f1("Denver Broncos", ["Broncos", "the Denver Broncos"]) == 1.0
    assert best_token_f1("anything", []) == 0.0


@pytest.mark.parametrize(
    ("answer", "groups", "present"),
    [
        ("It was published on Tuesday.", [["mardi", "Tuesday"]], True),
        ("It was published on tuesday.", [["mardi", "Tuesday"]], True),
        ("Politisé le commerce et la technologie", TWO_GROUPS, True),
        ("Politisé le commerce", TWO_GROUPS, False),
        ("le\u00a0Wall  Street\nJournal", [["Wall Street Journal"]], True),
        ("Wall Street", [["Wall Street Journal"]], False),
        ("anything", [], True),
    ],
)
def test_keywords_present(answer: str, groups: list[list[str]], present: bool) -> None:
    assert keywords_present(answer, groups) is present


@pytest.mark.parametrize(
    ("scores", "labels", "area"),
    [
        ([0.9, 0.8, 0.2, 0.1], [True, True, False, False], 1.0),
        ([0.1, 0.2, 0.8, 0.9], [True, True, False, False], 0.0),
        ([0.5, 0.5, 0.5, 0.5], [True, False, True, False], 0.5),
        ([0.9, 0.4, 0.6, 0.1], [True, True, False, False], 0.75),
        ([0.7, 0.5, 0.5, 0.1], [True, True, False, False], 0.875),  # one tie counts half
    ],
)
def test_auroc(scores: list[float], labels: list[bool], area: float) -> None:
    assert auroc(scores, labels) == pytest.approx(area)


def test_auroc_needs_both_classes() -> None:
    assert math.isnan(auroc([0.1, 0.2], [True, True]))
    with pytest.raises(ValueError):
        auroc([0.1], [True, False])


def test_refusal_precision_recall() -> None:
    refused = [True, True, False, False, True]
    answerable = [False, True, False, True, False]
    precision, recall = refusal_precision_recall(refused, answerable)
    assert precision == pytest.approx(2 / 3)
    assert recall == pytest.approx(2 / 3)
    precision, recall = refusal_precision_recall([False, False], [True, True])
    assert math.isnan(precision) and math.isnan(recall)


@pytest.mark.parametrize(("q", "value"), [(0, 1.0), (50, 2.5), (100, 4.0), (95, 3.85), (25, 1.75)])
def test_percentile_interpolates(q: float, value: float) -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], q) == pytest.approx(value)


def test_percentile_of_nothing_is_nan() -> None:
    assert math.isnan(percentile([], 50))
