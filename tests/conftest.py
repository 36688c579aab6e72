"""Shared fixtures: the seed corpus, the real embedder, and indexes built in temporary folders."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# `auto` would pick the bundled LLM wherever it is installed (CI included): tests that
# exercise an LLM say so explicitly (tests/generation/), the rest stay fast and extractive.
os.environ.setdefault("RAG_GENERATOR", "extractive")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = next(SEEDS.glob("*.txt"))
EVAL_DIR = Path(os.environ.get("RAG_EVAL_DIR") or ROOT.parent / "shared" / "eval")


def dev_questions() -> list[dict]:
    path = EVAL_DIR / "dev_qa.jsonl"
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@pytest.fixture(scope="session")
def embedder():
    from rag.embedding import E5Embedder

    return E5Embedder()


@pytest.fixture(scope="session")
def seed_assistant(tmp_path_factory, embedder):
    """One assistant over an index of the seed article, shared by the read-only tests."""
    from rag.pipeline import Assistant
    from rag.settings import Settings

    corpus = tmp_path_factory.mktemp("seed-corpus")
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("seed-index"))
    assistant = Assistant(settings, embedder=embedder)
    assistant.index()
    return assistant


def indexed_assistant(
    tmp_path_factory, embedder, name: str, files: dict[str, str | bytes], **settings
):
    """An assistant over an index of ``files`` (name -> text or bytes), built in temporary
    folders named after ``name``: the small corpora of module-scoped fixtures."""
    from rag.pipeline import Assistant
    from rag.settings import Settings

    corpus = tmp_path_factory.mktemp(name)
    for file, content in files.items():
        if isinstance(content, bytes):
            (corpus / file).write_bytes(content)
        else:
            (corpus / file).write_text(content, encoding="utf-8")
    index = tmp_path_factory.mktemp(f"{name}-index")
    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=index, **settings), embedder)
    assistant.index()
    return assistant


# Real servers on loopback, started and stopped by the tests themselves.
from tests.llm_servers import llama_cpp_installed, llama_server, small_model  # noqa: E402, F401
from tests.servers import chroma_url, embeddings_url  # noqa: E402, F401
