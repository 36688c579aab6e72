"""Raw model output → parsed, renumbered markers and claim sentences."""

import pytest

from rag.generation.markers import (
    DraftSentence,
    clean_answer,
    parse_markers,
    renumber,
    split_sentences,
    strip_markers,
)


@pytest.mark.parametrize(
    ("raw", "keys"),
    [
        ("Jensen Huang [1].", [(1,)]),
        ("Claim [1, 3].", [(1, 3)]),
        ("Claim [1][2].", [(1,), (2,)]),
        ("Claim (1).", [(1,)]),
        ("Claim (1, 2).", [(1, 2)]),
        ("Claim [1-3].", [(1, 2, 3)]),
        ("Claim [Passage 2].", [(2,)]),
        ("Claim [source 4]", [(4,)]),
        ("Claim 【2】", [(2,)]),
        ("Claim [2, 2, 1]", [(2, 1)]),
        ("Sanctioned in (2019).", []),  # a year in brackets is not a citation
        ("No markers at all.", []),
        ("Broken [1 and", []),
        ("Odd [] and [x]", []),
    ],
)
def test_parse_markers(raw: str, keys: list[tuple[int, ...]]) -> None:
    assert [m.keys for m in parse_markers(raw)] == keys


@pytest.mark.parametrize(
    ("raw", "valid", "text", "mapping"),
    [
        ("A [2]. B [1].", 3, "A [1]. B [2].", {2: 1, 1: 2}),
        ("A [1, 3].", 3, "A [1][2].", {1: 1, 3: 2}),
        ("A [7]. B [1].", 3, "A. B [1].", {1: 1}),  # 7 does not exist: dropped with its space
        ("A [0][9].", 5, "A.", {}),
        ("A (2) and B [2].", 2, "A [1] and B [1].", {2: 1}),
        ("Plain.", 5, "Plain.", {}),
    ],
)
def test_renumber(raw: str, valid: int, text: str, mapping: dict[int, int]) -> None:
    assert renumber(raw, valid) == (text, mapping)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Answer: Huawei [1].", "Huawei [1]."),
        ("**Réponse :** mardi [1].", "mardi [1]."),
        ("Huawei [1].\n\nSources:\n[1] seed.txt", "Huawei [1]."),
        ("Huawei [1].\nReferences: [1]", "Huawei [1]."),
        ("Huawei [1]. Nvidia [2", "Huawei [1]. Nvidia"),  # cut off by the token limit
    ],
)
def test_clean_answer(raw: str, clean: str) -> None:
    assert clean_answer(raw) == clean


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "The CEO is Jensen Huang [1]. He spoke in Washington [2].",
            [("The CEO is Jensen Huang.", (1,)), ("He spoke in Washington.", (2,))],
        ),
        # a marker after the full stop belongs to the sentence before it
        (
            "Published on Tuesday. [1] It warned. [2][3]",
            [("Published on Tuesday.", (1,)), ("It warned.", (2, 3))],
        ),
        (
            "The U.S. said so [1]. Mr. Lin agreed.",
            [("The U.S. said so.", (1,)), ("Mr. Lin agreed.", ())],
        ),
        ("It grew 3.5 times [1].", [("It grew 3.5 times.", (1,))]),
        ("- first point [1]\n- second point [2]", [("first point", (1,)), ("second point", (2,))]),
        ("A claim.\n[2]", [("A claim.", (2,))]),
        (
            "Le PDG est-il Sam Altman ? Oui [1].",
            [("Le PDG est-il Sam Altman ?", ()), ("Oui.", (1,))],
        ),
        ("", []),
        ("[1]", []),
    ],
)
def test_split_sentences(text: str, sentences: list[tuple[str, tuple[int, ...]]]) -> None:
    assert split_sentences(text) == [DraftSentence(t, k) for t, k in sentences]


def test_strip_markers_leaves_no_space_before_punctuation() -> None:
    assert strip_markers("Huawei [1], Nvidia (2) and AMD [3].") == "Huawei, Nvidia and AMD."
