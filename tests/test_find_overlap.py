"""The lexical signals of `rag find`'s decision: words kept, cognates, the span's language."""

from __future__ import annotations

import pytest

from rag.find.overlap import content_words, coverage, unmatched_words

SPAN = (
    "Lin Jian, porte-parole du ministère, a déclaré que « les États-Unis ont politisé le "
    "commerce et la technologie »."
)


def test_content_words_drop_stopwords_fold_accents_and_keep_numbers() -> None:
    assert content_words("Huawei a été sanctionné par les Américains en 2019") == (
        "huawei",
        "sanctionne",
        "americain",
        "2019",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # cognates across languages: ministry/ministère, politicized/politisé, technology/…gie
        ("the ministry politicized technology", 1.0),
        ("the ministry praised agriculture", 1 / 3),
        ("", 0.0),
    ],
)
def test_coverage_counts_words_and_cognates(query: str, expected: float) -> None:
    assert coverage(content_words(query), SPAN) == pytest.approx(expected)


def test_a_typo_keeps_a_word_and_an_edit_does_not() -> None:
    span = "Weeks Bridge is a pedestrian bridge over the Charles River"
    assert unmatched_words("Weeks Brigde is a pedestrain bridge ovr the Charles River", span) == 0
    assert unmatched_words("Weeks Bridge is a railway bridge over the Hudson River", span) == 2


def test_an_english_sentence_of_a_french_document_is_not_cross_lingual() -> None:
    from rag.find.finder import _language
    from rag.types import Document

    text = "Lancez la commande. The dh_make command will create some template files."
    french = Document("guide.html", text, "h", "guide", "fr")
    spanish = Document("es.txt", "La ciudad fue fundada en el siglo II.", "h2", "es", "es")
    assert _language(french, "The dh_make command will create some template files.") == "en"
    assert _language(french, "Lancez la commande dans le répertoire du paquet.") == "fr"
    assert _language(spanish, "La ciudad fue fundada en el siglo II.") == "es"
