"""Answerability signals on hand-made evidence, and the committed model's file."""

from __future__ import annotations

import json

from rag.answer_type import AnswerType
from rag.generation.base import Evidence
from rag.retrieval import answerability as ans


def _evidence(*texts: str, score: float = 0.85) -> list[Evidence]:
    return [Evidence(1, "doc.txt", 0, len(t), t, score - 0.02 * i) for i, t in enumerate(texts)]


def test_a_century_in_roman_numerals_is_a_date() -> None:
    question = "Quand le château de Vitré a-t-il été construit ?"
    text = "Le château de Vitré a été construit au XIe siècle."
    f = ans.features(question, _evidence(text), "fr", text)
    assert f.expected is AnswerType.DATE and f.type_found and not f.missing_anchors
    assert ans.feature_vector(f)["type_missing"] == 0.0


def test_the_question_own_number_is_no_answer() -> None:
    question = "Quelle est la fréquence d'horloge de l'Ascend 910D ?"
    text = "Huawei prépare l'Ascend 910D, une puce destinée à l'IA."
    f = ans.features(question, _evidence(text), "fr", text)
    assert f.expected is AnswerType.NUMBER and not f.type_found
    assert ans.feature_vector(f)["type_missing"] == 1.0


def test_names_are_found_whatever_accents_case_and_elision() -> None:
    question = "Qui dirige l'Élysée selon Jean-Marc AYRAULT ?"
    text = "Selon jean-marc ayrault, le président dirige l'elysee."
    f = ans.features(question, _evidence(text), "fr", text)
    assert f.anchors == ("Élysée", "Jean-Marc AYRAULT")
    assert f.missing_anchors == ()


def test_missing_names_across_languages_weigh_apart() -> None:
    question = "What did Lin Jian say about Washington?"
    text = "El portavoz dijo que el comercio fue politizado."
    f = ans.features(question, _evidence(text), "es", text)
    x = ans.feature_vector(f)
    assert x["cross_lingual"] == 1.0
    assert x["names_missing_cross_lingual"] == 2.0 and x["names_missing"] == 0.0


def test_margin_is_the_gap_to_the_runner_up() -> None:
    f = ans.features("What is it?", _evidence("It is a chip.", "Another one."), "en", "x")
    assert abs(f.margin - 0.02) < 1e-9


def test_the_model_file_states_its_split_and_scores_monotonically() -> None:
    data = json.loads(ans.MODEL_FILE.read_text(encoding="utf-8"))
    assert "split" in data and "operating_point" in data
    assert set(data["weights"]) <= set(ans.feature_vector(ans.features("q?", [], "en", "")))
    model = ans.Model.load(ans.MODEL_FILE)
    text = "The chip was released in 2019."
    low = ans.features("When was it released?", _evidence(text, score=0.70), "en", text)
    high = ans.features("When was it released?", _evidence(text, score=0.92), "en", text)
    assert model.score(high) > model.score(low)
    assert 0.0 < model.threshold < 1.0
