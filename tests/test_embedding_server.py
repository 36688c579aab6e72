"""Embeddings through an OpenAI-compatible server: same vectors, same answers, clear failures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rag.embedding import EmbeddingUnavailable
from rag.embedding.http import OpenAIEmbedder, endpoint
from rag.indexer import Indexer
from rag.pipeline import Assistant
from rag.settings import Settings
from tests.conftest import SEED_FILE, dev_questions
from tests.servers import free_port, start_embeddings_server, stop

pytestmark = pytest.mark.server
TEXTS = ["Le chat dort sur le canapé.", "Huawei's Ascend chips", "東京は日本の首都です。", "x"]


@pytest.fixture(params=["in-process", "server"])
def any_embedder(request, embedder):
    if request.param == "in-process":
        return embedder
    return OpenAIEmbedder(request.getfixturevalue("embeddings_url"), batch_size=2)


def test_embedder_contract(any_embedder, embedder):
    passages = any_embedder.embed_passages(TEXTS)
    assert passages.shape == (len(TEXTS), embedder.dim) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    query = any_embedder.embed_query(TEXTS[0])
    assert query.shape == (embedder.dim,)
    assert not np.allclose(query, passages[0], atol=1e-3)  # e5's query and passage roles differ
    # Same vectors as the bundled model, whichever side computed them.
    assert np.allclose(passages, embedder.embed_passages(TEXTS), atol=1e-5)
    assert np.allclose(query, embedder.embed_query(TEXTS[0]), atol=1e-5)


def test_endpoint_accepts_the_usual_spellings():
    for url in ("http://h:1", "http://h:1/", "http://h:1/v1", "http://h:1/v1/embeddings"):
        assert endpoint(url) == "http://h:1/v1/embeddings"


def test_indexed_through_the_server_answers_identically(
    embeddings_url, seed_assistant, tmp_path: Path
):
    settings = seed_assistant.settings.model_copy(
        update={"index_dir": tmp_path / "index", "embed_base_url": embeddings_url}
    )
    remote = Assistant(settings)  # the embedder comes from the settings
    assert isinstance(remote.embedder, OpenAIEmbedder)
    remote.index()
    for item in dev_questions()[:6]:
        local_answer = seed_assistant.ask(item["q"]).to_json()
        remote_answer = remote.ask(item["q"]).to_json()
        for answer in (local_answer, remote_answer):
            answer.pop("timings_ms")
        assert remote_answer == local_answer


def test_server_down_is_one_line_naming_the_url(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / "seed.txt")
    url = f"http://127.0.0.1:{free_port()}/v1"
    env = {**os.environ, "RAG_CORPUS_DIR": str(corpus), "RAG_INDEX_DIR": str(tmp_path / "i")}
    env |= {"RAG_EMBED_BASE_URL": url, "PYTHONPATH": str(Path(__file__).parent.parent)}
    result = subprocess.run(
        [sys.executable, "-m", "rag.cli", "index"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{url}/embeddings" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


class _KillServerAfter:
    """Passes calls to the real client; takes the server down after ``calls`` batches."""

    def __init__(self, client: OpenAIEmbedder, server: subprocess.Popen, calls: int) -> None:
        self.client, self.server, self.calls = client, server, calls

    def embed_passages(self, texts):
        if self.calls == 0:
            stop(self.server)
        self.calls -= 1
        return self.client.embed_passages(texts)

    def embed_query(self, text):
        return self.client.embed_query(text)


def test_server_going_down_mid_run_resumes_on_the_next_run(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(4):
        (corpus / f"doc{n}.txt").write_text(f"Document {n} parle des volcans. " * 20)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", chunk_chars=200)
    port = free_port()
    server = start_embeddings_server(port)
    client = OpenAIEmbedder(f"http://127.0.0.1:{port}", batch_size=4)
    try:
        # One call a commit (its sentences; chunk vectors are pooled from them): the server
        # dies in the third commit.
        indexer = Indexer(settings, _KillServerAfter(client, server, calls=2), commit_every=3)
        with pytest.raises(EmbeddingUnavailable, match=f"127.0.0.1:{port}"):
            indexer.run()
        server = start_embeddings_server(port)
        report = Indexer(settings, client, commit_every=3).run()
    finally:
        stop(server)
    # Committed before: doc0 whole and two chunks of doc1, which this run resumes.
    assert report.unchanged == 1 and report.added == 2
    assert report.passages_embedded == 16 - 6  # two commits of three chunks were kept
    assert report.documents == 4
