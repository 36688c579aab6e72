"""The loaders read the real shared data into consistent records; sampling is seeded."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.eval.datasets import (
    LOADERS,
    default_eval_dir,
    load_dataset,
    restrict_corpus,
    sample_questions,
)
from rag.eval.records import EvalDataset
from rag.eval.text import find_normalised

pytestmark = pytest.mark.skipif(
    not default_eval_dir().is_dir(), reason="shared eval data not found next to the repo"
)

SIZES = {  # documents, questions, unanswerable (from the data's README)
    "piaf": (761, 3835, 0),
    "xquad-en-es": (240, 1190, 0),
    "squad2": (None, 1407, 702),
    "pg": (212, 55, 0),
    "dev": (1, None, None),
}


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_every_question_points_at_documents_of_its_corpus(name: str) -> None:
    dataset = load_dataset(name)
    sources = {doc.source for doc in dataset.documents}
    assert len(sources) == len(dataset.documents), "sources must be unique"
    assert len({q.id for q in dataset.questions}) == len(dataset.questions)
    for question in dataset.questions:
        assert set(question.gold_sources) <= sources
        assert question.gold_sources or not question.answerable


@pytest.mark.parametrize(("name", "sizes"), sorted(SIZES.items()))
def test_sizes_match_the_published_sets(name: str, sizes: tuple[int | None, ...]) -> None:
    dataset = load_dataset(name)
    actual = (
        len(dataset.documents),
        len(dataset.questions),
        sum(not q.answerable for q in dataset.questions),
    )
    for want, got in zip(sizes, actual, strict=True):
        if want is not None:
            assert got == want


@pytest.mark.parametrize("name", ["piaf", "xquad-en-es", "squad2", "dev"])
def test_gold_quotes_are_found_in_a_gold_document(name: str) -> None:
    dataset = load_dataset(name)
    texts = {doc.source: doc.text for doc in dataset.documents}
    for question in dataset.questions:
        for quote in question.gold_quotes:
            assert any(find_normalised(texts[s], quote) for s in question.gold_sources), question.id


def test_xquad_pairs_english_questions_with_spanish_paragraphs() -> None:
    dataset = load_dataset("xquad-en-es")
    question = next(q for q in dataset.questions if q.id == "56beb4343aeaaa14008c925b")
    assert question.question == "How many points did the Panthers defense surrender?"
    assert question.language == "en"
    paragraph = dataset.document(question.gold_sources[0])
    assert paragraph.language == "es" and "Panthers" in paragraph.text
    assert question.answers == ("308",)


def test_pg_keeps_only_verbatim_quotes() -> None:
    questions = load_dataset("pg").questions
    assert sum(bool(q.gold_quotes) for q in questions) == 51


def test_dev_unanswerable_questions_have_no_gold() -> None:
    for question in load_dataset("dev").questions:
        assert bool(question.gold_quotes) == question.answerable
        assert question.keyword_groups or not question.answerable


def test_sampling_is_seeded_ordered_and_keeps_both_kinds() -> None:
    questions = load_dataset("squad2").questions
    first = sample_questions(questions, 20)
    assert first == sample_questions(questions, 20)
    assert first != sample_questions(questions, 20, seed=1)
    assert len(first) == 20
    assert 8 <= sum(not q.answerable for q in first) <= 12
    positions = [questions.index(q) for q in first]
    assert positions == sorted(positions)
    tiny = sample_questions(questions, 2)
    assert {q.answerable for q in tiny} == {True, False}


def test_limit_larger_than_the_set_keeps_everything() -> None:
    questions = load_dataset("dev").questions
    assert sample_questions(questions, 1000) == questions


def test_restrict_corpus_keeps_gold_documents() -> None:
    dataset = load_dataset("piaf", limit=5)
    small = restrict_corpus(dataset, 50)
    assert len(small.documents) == 50
    sources = {doc.source for doc in small.documents}
    assert all(set(q.gold_sources) <= sources for q in small.questions)


def test_unknown_dataset_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown dataset"):
        load_dataset("nope")


def test_no_document_starts_with_a_byte_order_mark() -> None:
    for name in ("xquad-en-es", "piaf", "squad2"):
        assert not any(d.text.startswith("\ufeff") for d in load_dataset(name).documents)


@pytest.fixture(scope="module")
def real() -> EvalDataset:
    return load_dataset("real")  # reads the 75-page PDF: once for the module


def test_real_documents_are_the_files_as_the_readers_extract_them(real: EvalDataset) -> None:
    dataset = real
    assert dataset.files_dir is not None and (dataset.files_dir / "debian-faq.fr.pdf").is_file()
    sources = {doc.source for doc in dataset.documents}
    assert len(sources) == 12 and "maint-guide/start.fr.html" in sources
    assert all(doc.text.strip() and doc.language == "fr" for doc in dataset.documents)
    assert "<" not in dataset.document("maint-guide/start.fr.html").text[:200]  # no markup


def test_real_questions_and_probes_follow_the_readme(real: EvalDataset) -> None:
    dataset = real
    questions = {q.id: q for q in dataset.questions}
    assert len(questions) == 24 and sum(q.answerable for q in questions.values()) == 18
    r01 = questions["r01"]
    assert r01.gold_passages[0].page == 10 and r01.gold_sources == ("debian-faq.fr.pdf",)
    assert r01.keyword_groups == (("Murdock",), ("1993",))
    assert (
        len(questions["r03"].gold_passages) == 2 and questions["r03"].gold_passages[0].page is None
    )
    assert not questions["r24"].answerable and not questions["r24"].gold_passages
    assert [p.found for p in dataset.probes] == [True] * 6 + [False] * 2
    assert dataset.probes[1].source == "maint-guide/start.fr.html"


def test_real_sample_keeps_the_probes_and_restricting_keeps_theirs(real: EvalDataset) -> None:
    dataset = replace(real, questions=sample_questions(real.questions, 3))
    assert len(dataset.questions) == 3 and len(dataset.probes) == 8
    small = restrict_corpus(dataset, 1)
    kept = {doc.source for doc in small.documents}
    assert all(set(q.gold_sources) <= kept for q in small.questions)
    assert all(not p.found or p.source in kept for p in small.probes)
    assert sum(not p.found for p in small.probes) == 2 and small.files_dir == dataset.files_dir
