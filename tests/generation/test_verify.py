"""Claim-versus-quote support checks: names, numbers, dates, overlap."""

import pytest

from rag.generation.verify import claim_facts, judge, missing_facts, negation_count, overlap

NVIDIA = (
    "Le PDG de Nvidia, Jensen Huang, a déclaré que la Chine n’était « pas derrière » les "
    "États-Unis dans l’intelligence artificielle."
)
BUREAU = (
    "La déclaration, publiée mardi par le Bureau de l’industrie et de la sécurité du "
    "département, a explicitement averti les conséquences potentielles."
)
ALTMAN = "les dirigeants de la technologie américaine, notamment le PDG d’OpenAI, Sam Altman."
LIN = (
    "Lin Jian, porte-parole du ministère, a déclaré lors d’une conférence de presse régulière "
    "le 25 février que « les États-Unis ont politisé le commerce et la technologie »."
)


@pytest.mark.parametrize(
    ("claim", "window", "missing"),
    [
        ("The CEO of Nvidia is Jensen Huang.", NVIDIA, []),
        ("The CEO of Huawei is Jensen Huang.", NVIDIA, ["Huawei"]),  # the known confusion
        ("Le PDG de Nvidia est Jensen Huang.", NVIDIA, []),
        ("Jensen Huang said China is not behind the United States.", NVIDIA, []),
        ("The statement was published on Tuesday.", BUREAU, []),  # Tuesday = mardi
        ("The statement was published on Wednesday.", BUREAU, ["Wednesday"]),
        ("Lin Jian spoke on 25 February.", LIN, []),
        ("Lin Jian spoke on 26 February.", LIN, ["26"]),
        ("Lin Jian spoke in 2019.", LIN, ["2019"]),
        ("Sam Altman said so.", NVIDIA, ["Sam", "Altman"]),
        ("Le PDG d'Huawei est Sam Altman.", ALTMAN, ["Huawei"]),  # a name behind an elision
        ("Le PDG d’OpenAI est Sam Altman.", ALTMAN, []),
        ("Huang was there.", "Huawei was there.", ["Huang"]),  # short names match exactly
        ("The Ministry spokesman Lin Jian spoke.", LIN, []),  # Ministry ~ ministère
        ("The Foreign Ministry spokesman Lin Jian spoke.", LIN, ["Foreign"]),
    ],
)
def test_missing_facts(claim: str, window: str, missing: list[str]) -> None:
    assert missing_facts(claim, window) == missing


def test_claim_facts_skips_sentence_openers() -> None:
    assert claim_facts("The article says Huawei sold 2 million chips in 2024.") == [
        "2",
        "2024",
        "Huawei",
    ]


@pytest.mark.parametrize(
    ("claim", "window", "at_least"),
    [
        ("The US politicized trade and technology.", LIN, 0.5),  # stems cross the languages
        ("Bananas grow on trees.", LIN, 0.0),
    ],
)
def test_overlap(claim: str, window: str, at_least: float) -> None:
    assert overlap(claim, window) >= at_least


def test_judge_needs_facts_and_closeness() -> None:
    assert judge("The CEO of Nvidia is Jensen Huang.", NVIDIA, 0.9).supported
    assert not judge("The CEO of Huawei is Jensen Huang.", NVIDIA, 0.95).supported
    assert not judge("Bananas grow on trees.", NVIDIA, 0.5).supported


@pytest.mark.parametrize(
    ("text", "count"),
    [
        (NVIDIA, 1),  # n'était « pas derrière »: ne ... pas is one negation
        ("Jensen Huang said China is not behind the United States.", 1),
        ("Huang said China wasn't behind.", 1),
        ("La Chine n'était pas « pas derrière » les États-Unis.", 2),
        ("Huawei n'a jamais rien confirmé.", 1),
        ("Huawei a confirmé.", 0),
        ("No company has tested it.", 1),
        ("Nobody knows, and the CEO did not say.", 2),
    ],
)
def test_negation_count(text: str, count: int) -> None:
    assert negation_count(text) == count


def test_an_inserted_negation_is_not_supported() -> None:
    # Recorded from the bundled 1.5B: one "pas" more than the quote, with overlap and meaning
    # as close as a faithful paraphrase.
    claim = "Jensen Huang a déclaré que la Chine n'était pas « pas derrière » les États-Unis."
    verdict = judge(claim, NVIDIA, similarity=0.95)
    assert not verdict.supported and verdict.added_negation and not verdict.missing
    faithful = judge("Jensen Huang a déclaré que la Chine n'était pas derrière.", NVIDIA, 0.95)
    assert faithful.supported and not faithful.added_negation
