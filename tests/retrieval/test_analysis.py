"""BM25 analysis: folding, stopwords and light stemming make variants of a word meet."""

from __future__ import annotations

import pytest

from rag.retrieval.analysis import analyze, fold, stemmer


def test_fold_removes_case_and_accents() -> None:
    assert fold("Élève À l'HÔPITAL") == "eleve a l'hopital"


@pytest.mark.parametrize(
    ("text", "language", "terms"),
    [
        ("Quel jour la déclaration a-t-elle été publiée ?", "fr", ["jour", "declaration", "publi"]),
        ("les chevaux nationaux", "fr", ["cheval", "national"]),
        ("l'exportation des puces", "fr", ["exportation", "puce"]),
        (
            "How many points did the Panthers defense surrender?",
            "en",
            ["many", "point", "panther", "defens", "surrender"],
        ),
        ("¿Cuántos puntos dejaron los Panthers?", "es", ["punt", "dejaron", "panther"]),
        ("Huawei 2024", "unknown", ["huawei", "2024"]),
    ],
)
def test_analyze(text: str, language: str, terms: list[str]) -> None:
    assert analyze(text, language) == terms


@pytest.mark.parametrize(
    ("language", "variants"),
    [
        ("fr", ["publiée", "publiées", "publié", "publier"]),
        ("fr", ["national", "nationale", "nationaux", "nationales"]),
        ("en", ["study", "studies"]),
        ("en", ["export", "exports", "exported", "exporting"]),
        ("es", ["puntos", "punto"]),
    ],
)
def test_light_stemming_conflates_inflections(language: str, variants: list[str]) -> None:
    stems = {analyze(word, language)[0] for word in variants}
    assert len(stems) == 1, stems


def test_no_stemming_keeps_words_and_unknown_languages_are_not_stemmed() -> None:
    assert analyze("nationales", "fr", stem="none") == ["nationales"]
    assert stemmer("de")("häuser") == "häuser"


def test_snowball_is_available_for_comparison() -> None:
    assert analyze("exportations", "fr", stem="snowball") == ["export"]
