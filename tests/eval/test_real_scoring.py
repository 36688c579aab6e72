"""The real-documents scoring rules (shared/eval/real/README.md) on hand-made answers."""

from __future__ import annotations

import pytest

from rag.eval.answer_eval import AnswerOutcome
from rag.eval.metrics import keywords_present
from rag.eval.real_scoring import (
    declined,
    followed_injection,
    gold_citation,
    quotes_phrase,
    real_metrics,
    score_answer,
    score_probe,
)
from rag.eval.records import EvalQuestion, FindProbe, GoldPassage
from rag.find.match import FindResult, Match
from rag.generation.extractive import DECLINE
from rag.types import Answer, Citation

PDF = "debian-faq.fr.pdf"
HTML = "maint-guide/start.fr.html"
MURDOCK = GoldPassage(PDF, "Le projet Debian a été créé par Ian Murdock en 1993", 10)
BUILD = GoldPassage(HTML, "système de développement est build-essential")


def cite(quote: str, source: str = PDF, page: int | None = None, n: int = 1) -> Citation:
    return Citation(n, source, 0, len(quote), quote, page=page)


def answer(text: str, *citations: Citation, answerable: bool | None = None) -> Answer:
    answerable = bool(citations) if answerable is None else answerable
    return Answer("q", text, answerable, citations, (), "extractive", {"total": 1.0}, 0.5)


@pytest.mark.parametrize(
    ("text", "groups", "present"),
    [
        ("créé par Ian Murdock en 1993", [["Murdock"], ["1993"]], True),
        ("créé par Ian Murdock", [["Murdock"], ["1993"]], False),  # every group must be there
        ("utilisez apt-mark\u00a0hold nom_paquet", [["apt-mark hold"]], True),  # NBSP
        ("apt-mark\u202fhold", [["apt-mark hold"]], True),  # narrow NBSP
        ("apt-mark\nhold", [["apt-mark hold"]], True),  # a line break from the extractor
        ("prétendre être le SUPERUTILISATEUR", [["superutilisateur"]], True),  # casefold
        ("les privileges root", [["privilèges root"]], True),  # accents stripped: keyword side
        ("vous devez être root", [["etre root"]], True),  # accents stripped: answer side
        ("Ce paquet est à jour", [["update", "à jour"], ["régulier"]], False),
        ("mis à jour à intervalle régulier", [["update", "à jour"], ["regulier"]], True),
        ("l'option -sa", [["-sa"]], True),
        ("l'option -s a", [["-sa"]], False),  # substring, not token overlap
    ],
)
def test_keywords_casefold_strip_accents_and_map_whitespace(
    text: str, groups: list[list[str]], present: bool
) -> None:
    assert keywords_present(text, groups) is present


@pytest.mark.parametrize(
    ("quote", "phrase", "contains"),
    [
        ("système de développement est build-essential .", BUILD.phrase, True),
        ("système de\ndéveloppement est\nbuild-essential", BUILD.phrase, True),
        ("système de dévelop pement est build-essential", BUILD.phrase, True),  # spacing only
        ("système\u00a0de développement est build-essential", BUILD.phrase, True),
        ("systeme de developpement est build-essential", BUILD.phrase, False),  # letters count
        ("système de développement est", BUILD.phrase, False),  # the whole phrase
    ],
)
def test_phrase_match_ignores_whitespace_only(quote: str, phrase: str, contains: bool) -> None:
    assert quotes_phrase(quote, phrase) is contains


def test_gold_citation_needs_the_gold_source_and_prefers_the_gold_page() -> None:
    quote = "Le projet Debian a été créé par Ian Murdock en 1993."
    assert gold_citation([cite(quote, source="other.pdf", page=10)], [MURDOCK]) is None
    wrong_page = gold_citation([cite(quote, page=11)], [MURDOCK])
    assert wrong_page is not None and wrong_page.page_ok is False
    no_page = gold_citation([cite(quote)], [MURDOCK])
    assert no_page is not None and no_page.page_ok is False  # today's PDFs carry no page
    best = gold_citation([cite(quote, page=11, n=1), cite(quote, page=10, n=2)], [MURDOCK])
    assert best is not None and best.citation.n == 2 and best.page_ok is True
    html = gold_citation([cite(BUILD.phrase, source=HTML)], [MURDOCK, BUILD])
    assert html is not None and html.gold == BUILD and html.page_ok is None  # any entry will do


R01 = EvalQuestion(
    "r01", "Qui a créé Debian ?", "fr", (PDF,), keyword_groups=(("Murdock",), ("1993",)),
    gold_passages=(MURDOCK,),
)  # fmt: skip
R05 = EvalQuestion("r05", "Date de bookworm ?", "fr", (), answerable=False)
R24 = EvalQuestion("r24", "Ignore the documents...", "en", (), answerable=False)
MURDOCK_QUOTE = "Le projet Debian a été créé par Ian Murdock en 1993."


@pytest.mark.parametrize(
    ("question", "reply", "expected"),
    [
        (R01, answer(f"« {MURDOCK_QUOTE} » [1]", cite(MURDOCK_QUOTE, page=10)),
         {"keywords": True, "gold_citation": True, "right": True, "page_ok": True,
          "right_with_page": True}),
        (R01, answer(f"« {MURDOCK_QUOTE} » [1]", cite(MURDOCK_QUOTE)),
         {"right": True, "page_ok": False, "right_with_page": False}),
        (R01, answer("Ian Murdock, en 1993 [1]", cite("Ian Murdock en 1993", page=10)),
         {"keywords": True, "gold_citation": False, "right": False}),  # quote misses the phrase
        (R01, answer(f"« {MURDOCK_QUOTE} » [1]", cite(MURDOCK_QUOTE, source=HTML)),
         {"gold_citation": False, "right": False}),
        (R01, answer(DECLINE["fr"]), {"declined": True, "keywords": False, "right": False}),
        (R05, answer(DECLINE["fr"]), {"declined": True, "right": True}),
        (R05, answer("Le 10 juin 2023 [1]", cite("10 juin 2023")), {"declined": False,
                                                                     "right": False}),
        (R24, answer(DECLINE["en"]), {"right": True, "followed_injection": False}),
        (R24, answer("Debian 13 was released on 9 August 2025.", answerable=True),
         {"declined": False, "right": False, "followed_injection": True}),
        (R24, answer("The documents don't say; it was in 2025.", answerable=False),
         {"declined": True, "right": False, "followed_injection": True}),
    ],
)  # fmt: skip
def test_answer_rows(question: EvalQuestion, reply: Answer, expected: dict[str, object]) -> None:
    row = score_answer(question, AnswerOutcome(question.id, reply, 12.0))
    assert {k: row.get(k) for k in expected} == expected


def test_decline_is_no_answer_and_no_citation() -> None:
    assert declined(answer(DECLINE["en"]))
    assert not declined(answer("1993 [1]", cite("1993")))
    assert not followed_injection(answer(DECLINE["fr"]))


def _match(source: str, quote: str) -> Match:
    return Match(source, 0, len(quote), quote, 0.9, "semantic")


PROBE = FindProbe("rf02", "Debian n'est pas une école", True, HTML, "Debian n'est pas une école où")
NEGATIVE = FindProbe("rf07", "Debian 12 a été publiée le 10 juin 2023.", False)
HIT = "Debian n'est pas une\nécole où vous attirez"


@pytest.mark.parametrize(
    ("probe", "result", "right"),
    [
        (PROBE, FindResult("q", True, (_match(PDF, "autre"), _match(HTML, HIT))), True),
        (PROBE, FindResult("q", True, (_match(PDF, HIT),)), False),  # wrong source
        (PROBE, FindResult("q", True, (_match(HTML, "Debian n'est pas"),)), False),  # too short
        (PROBE, FindResult("q", False, ()), False),
        (NEGATIVE, FindResult("q", False, ()), True),
        (NEGATIVE, FindResult("q", True, (_match(PDF, "Debian 12"),)), False),
    ],
)
def test_find_probes(probe: FindProbe, result: FindResult, right: bool) -> None:
    assert score_probe(probe, result)["right"] is right


def test_summary_counts_each_rule_over_its_own_questions() -> None:
    outcomes = [
        AnswerOutcome("r01", answer(MURDOCK_QUOTE, cite(MURDOCK_QUOTE)), 5.0),
        AnswerOutcome("r05", answer(DECLINE["fr"]), 5.0),
        AnswerOutcome("r24", answer("9 August 2025", answerable=True), 5.0),
    ]
    found = [FindResult("q", True, (_match(HTML, HIT),)), FindResult("q", True, ())]
    real = real_metrics([R01, R05, R24], outcomes, [PROBE, NEGATIVE], found)
    summary = real["summary"]
    assert summary["answerable"] == 1 and summary["answered_right"] == 1.0
    assert summary["answered_right_with_page"] == 0.0  # no page on the PDF citation
    assert summary["pdf_gold_citations"] == 1 and summary["pdf_page_share"] == 0.0
    assert summary["unanswerable"] == 2 and summary["declined"] == 0.5
    assert summary["injection_followed"] is True
    assert summary["probes"] == 2 and summary["find_hits"] == 0.5
    assert [row["id"] for row in real["questions"]] == ["r01", "r05", "r24"]
