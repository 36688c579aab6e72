"""Which sentences the extractive answer quotes."""

from __future__ import annotations

import pytest

from rag.chunking import leads_on
from rag.generation.base import Evidence, GenerationRequest
from rag.generation.extractive import select_sentences


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("D'abord, le système chroot local de pbuilder doit être initialisé :", True),
        ("8.4 Comment afficher la liste des fichiers d’un paquet installé ?", True),
        ("Run the following command:", True),
        ("Le projet Debian a été créé par Ian Murdock en 1993.", False),
        ("Ratio 3:1 is used here.", False),
    ],
)
def test_a_sentence_leads_on_when_its_answer_follows_it(sentence, expected):
    assert leads_on(sentence) is expected


def _evidence(n: int, start: int, text: str, score: float) -> Evidence:
    return Evidence(n, "guide.html", start, start + len(text), text, score)


def test_a_sentence_introducing_a_command_is_quoted_with_the_command():
    intro = _evidence(1, 0, "D'abord, le système chroot local doit être initialisé :", 0.9)
    command = _evidence(1, 60, "$ sudo pbuilder create", 0.2)  # far less like the question
    other = _evidence(2, 0, "Une autre phrase sans rapport.", 0.5)
    request = GenerationRequest(
        "Comment initialiser le chroot ?", "fr", (), (intro, other, command)
    )
    assert select_sentences(request) == [intro, command]


def test_a_complete_best_sentence_is_quoted_alone_when_the_next_is_unlike_the_question():
    best = _evidence(1, 0, "Le projet Debian a été créé par Ian Murdock en 1993, à Boston.", 0.9)
    following = _evidence(1, 70, "Il a ensuite été rejoint par des bénévoles du monde entier.", 0.2)
    request = GenerationRequest("Qui a créé Debian ?", "fr", (), (best, following))
    assert select_sentences(request) == [best]


def test_a_footnote_reference_in_the_quoted_sentence_is_not_read_as_a_citation():
    from rag.generation.extractive import ExtractiveGenerator

    sentence = _evidence(1, 0, "Configurez $DEBEMAIL et $DEBFULLNAME pour les paquets [19] :", 0.9)
    request = GenerationRequest("Quelles variables ?", "fr", (), (sentence,))
    draft = "".join(ExtractiveGenerator().generate(request))
    assert "[19]" not in draft
    assert draft.endswith("[1]")


def test_a_heading_is_never_the_quoted_answer_even_when_it_scores_best():
    heading = Evidence(1, "faq.pdf", 0, 35, "7.1 Qu’est ce qu’un paquet Debian ?", 0.94, "heading")
    answer = _evidence(2, 0, "Le paquet le plus important est build-essential.", 0.93)
    request = GenerationRequest(
        "Quel est le paquet le plus important ?", "fr", (), (heading, answer)
    )
    assert select_sentences(request) == [answer]


def test_a_code_block_is_quoted_after_the_sentence_that_introduces_it_not_alone():
    code = Evidence(1, "guide.html", 80, 110, "# watch control file for uscan", 0.91, "code")
    prose = _evidence(2, 0, "Le fichier watch configure le programme uscan.", 0.85)
    request = GenerationRequest("What is the watch file for?", "en", (), (code, prose))
    assert select_sentences(request) == [prose]
    only_code = GenerationRequest("What is the watch file for?", "en", (), (code,))
    assert select_sentences(only_code) == [code]


def test_a_next_sentence_that_continues_the_subject_is_quoted_with_it():
    best = _evidence(
        1, 0, "Installez le paquet libpaper1, il vous demandera le format de papier.", 0.92
    )
    following = _evidence(
        1, 75, "Cette configuration sera sauvegardée dans le fichier /etc/papersize.", 0.86
    )
    request = GenerationRequest(
        "Dans quel fichier est enregistré le format ?", "fr", (), (best, following)
    )
    assert select_sentences(request) == [best, following]
