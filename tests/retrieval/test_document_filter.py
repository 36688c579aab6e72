"""'Ask only these documents': the filter sits inside the vector search and BM25, so k passages
come back from the chosen documents however the others rank."""

from __future__ import annotations

import shutil

import pytest

from rag.pipeline import Assistant
from rag.question import QuestionError
from rag.settings import Settings
from tests.conftest import SEED_FILE

# Seven short paragraphs about cats: with 300-character chunks, more chunks than top_k.
CATS = "\n\n".join(
    f"Cats, paragraph {n}: the domestic cat sleeps about sixteen hours a day and hunts mostly "
    f"at night. Its whiskers sense air currents, and kittens open their eyes after a week. "
    f"A cat's purr runs at twenty-five to one hundred and fifty hertz."
    for n in range(1, 8)
)
HUAWEI = "What did the US Commerce Department say about Huawei's Ascend AI chips?"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder) -> Assistant:
    corpus = tmp_path_factory.mktemp("filter-corpus")
    shutil.copy(SEED_FILE, corpus / "seed.txt")
    (corpus / "cats.txt").write_text(CATS, encoding="utf-8")
    # More chunks on the question's topic than retrieval's candidate pool (50): a filter
    # applied to the pool afterwards would find no cats chunk in it.
    seed = SEED_FILE.read_text(encoding="utf-8")
    news = "\n\n".join(f"Édition {n}. {seed}" for n in range(1, 5))
    (corpus / "news.txt").write_text(news, encoding="utf-8")
    index = tmp_path_factory.mktemp("filter-index")
    settings = Settings(corpus_dir=corpus, index_dir=index, chunk_chars=300, top_k=5)
    assistant = Assistant(settings, embedder=embedder)
    assistant.index()
    return assistant


def test_unfiltered_the_news_documents_answer(assistant: Assistant) -> None:
    passages = assistant.retrieve(HUAWEI)
    assert {p.chunk.source for p in passages} <= {"seed.txt", "news.txt"}


def test_k_passages_come_from_the_chosen_document_even_when_others_rank_higher(
    assistant: Assistant,
) -> None:
    records = assistant.snapshot().records
    assert records["cats.txt"].chunks > assistant.settings.top_k
    assert records["news.txt"].chunks + records["seed.txt"].chunks > 50
    unfiltered = assistant.retrieve(HUAWEI, k=50)
    assert "cats.txt" not in {p.chunk.source for p in unfiltered}
    passages = assistant.retrieve(HUAWEI, sources=["cats.txt"])
    assert len(passages) == assistant.settings.top_k  # not the few cats chunks in the top 50
    assert {p.chunk.source for p in passages} == {"cats.txt"}


def test_the_vector_search_itself_is_filtered(assistant: Assistant) -> None:
    vector = assistant.embedder.embed_query(HUAWEI)
    snapshot = assistant.snapshot()
    for store in (assistant.store.vectors, assistant.store.sentences):
        hits = store.search(vector, 5, {"cats.txt"})
        assert len(hits) == 5
        owners = [
            snapshot.chunks.get(i) or snapshot.chunks[snapshot.sentence_chunk[i]] for i, _ in hits
        ]
        assert {c.source for c in owners} == {"cats.txt"}


def test_every_citation_is_from_the_chosen_document(assistant: Assistant) -> None:
    answer = assistant.ask(HUAWEI, sources=["seed.txt"])
    assert answer.answerable and answer.citations
    assert {c.source for c in answer.citations} == {"seed.txt"}
    assert {p.chunk.source for p in answer.passages} == {"seed.txt"}

    elsewhere = assistant.ask(HUAWEI, sources=["cats.txt"])
    # The cats document does not say: declined, or cited from cats only, never the seed.
    assert {c.source for c in elsewhere.citations} <= {"cats.txt"}
    assert {p.chunk.source for p in elsewhere.passages} == {"cats.txt"}


def test_the_stream_honours_the_filter(assistant: Assistant) -> None:
    *_, final = assistant.ask_stream("How long do cats sleep?", sources=["cats.txt"])
    assert final.citations and {c.source for c in final.citations} == {"cats.txt"}


def test_an_unknown_document_is_one_clear_error(assistant: Assistant) -> None:
    with pytest.raises(QuestionError, match=r"no indexed document 'nope\.txt'"):
        assistant.ask(HUAWEI, sources=["nope.txt"])


def test_an_empty_filter_means_every_document(assistant: Assistant) -> None:
    assert assistant.retrieve(HUAWEI, sources=[]) == assistant.retrieve(HUAWEI)
