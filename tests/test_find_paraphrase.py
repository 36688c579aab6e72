"""Semantic find on the seed article: the issue's paraphrase, found by the calibrated decision
(rag/find/find_model.json, fitted on public data only) as a pair of sentences, its translation
(a known miss), and sentences the article does not say, which must not be found."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        pytest.param(  # one English sentence for the second of two French ones
            "China's foreign ministry said Washington had politicized trade and technology",
            "politisé le commerce et la technologie",
            marks=pytest.mark.xfail(
                strict=True,
                reason="the sentence is only the 3rd closest (cosine 0.827, lead 0.008) and its "
                "pair with the one before gains 0.015 < 0.03 over it; written absent sentences "
                "translated into English lead by up to 0.08. Clause spans (db4e6a4, reverted) "
                "made its clause joined with the sentence before the closest span (0.881, lead "
                "0.043) but left it at probability 0.50 < 0.84 and lost held-out hits; "
                "'foreign', 'trade', 'Washington' have no cognate in it (docs/bench-find.md); "
                "the model alone: with the in-process LLM, its second look finds it "
                "(tests/test_find_judged.py)",
            ),
        ),
        (  # one clause of a longer sentence, whose subject is named in the one before
            "Huawei a été sanctionné par les Américains en 2019",
            "passé sous les sanctions américaines en 2019",
        ),
    ],
)
def test_translation_and_paraphrase_are_found(seed_assistant, query: str, needle: str) -> None:
    result = seed_assistant.find(query)
    assert result.found, query
    top = result.matches[0]
    assert top.kind == "semantic"
    assert needle in top.quote, top.quote


@pytest.mark.parametrize(
    "query",
    [
        # names a company the article never mentions
        "Nvidia a annoncé un nouveau partenariat avec Renault en 2023",
        pytest.param(  # one word changed in a real sentence: a near-copy that says otherwise
            "Le ministère chinois des Affaires étrangères a salué à plusieurs reprises la "
            "répression américaine de l'industrie chinoise des semi-conducteurs.",
            marks=pytest.mark.xfail(
                strict=True,
                reason="fuzzy 0.97 with one word unmatched ('salué'), which noisy quotes also "
                "lose to typos: telling an edit from a typo needs more than characters",
            ),
        ),
    ],
)
def test_an_absent_sentence_is_not_found(seed_assistant, query: str) -> None:
    result = seed_assistant.find(query)
    assert not result.found, result.matches[:1]
