"""Semantic find on the seed article: the issue's translation and paraphrase (known misses:
their lead over the runner-up sentences, 0.026 and 0.044, is under the calibrated 0.05), and an
on-topic sentence the article does not say, which must not be found."""

from __future__ import annotations

import pytest


@pytest.mark.xfail(
    strict=True,
    reason="lead 0.026 / 0.044 < 0.05: the English sentence spans two French ones, the "
    "paraphrase is one clause of a longer sentence; re-scoring top sentences by clauses and "
    "sentence pairs found more but raised false-found from 3.4% to 12.1% (docs/bench-find.md)",
)
@pytest.mark.parametrize(
    ("query", "needle"),
    [
        (
            "China's foreign ministry said Washington had politicized trade and technology",
            "politisé le commerce et la technologie",
        ),
        (
            "Huawei a été sanctionné par les Américains en 2019",
            "passé sous les sanctions américaines en 2019",
        ),
    ],
)
def test_translation_and_paraphrase_are_found(seed_assistant, query: str, needle: str) -> None:
    result = seed_assistant.find(query)
    assert result.found, query
    assert any(needle in m.quote for m in result.matches[:1]), result.matches[:1]


def test_an_absent_sentence_is_not_found(seed_assistant) -> None:
    result = seed_assistant.find("Nvidia a annoncé un nouveau partenariat avec Renault en 2023")
    assert not result.found
