"""``RAG_GENERATOR`` resolution, ``auto`` included."""

import importlib.util
from pathlib import Path

import pytest

from rag.generation.registry import UnknownGenerator, resolve_name
from rag.settings import Settings

HAS_LLAMA_CPP = importlib.util.find_spec("llama_cpp") is not None


def test_auto_prefers_a_configured_server(tmp_path: Path) -> None:
    settings = Settings(generator="auto", llm_base_url="http://127.0.0.1:11434/v1")
    assert resolve_name(settings) == "openai"


def test_auto_without_a_model_is_extractive(tmp_path: Path) -> None:
    settings = Settings(generator="auto", gguf_path=tmp_path / "missing.gguf")
    assert resolve_name(settings) == "extractive"


@pytest.mark.skipif(not HAS_LLAMA_CPP, reason="llama-cpp-python is not installed")
def test_auto_with_a_gguf_file_runs_it_in_process(tmp_path: Path) -> None:
    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    assert resolve_name(Settings(generator="auto", gguf_path=tmp_path / "m.gguf")) == "llamacpp"


@pytest.mark.parametrize("name", ["extractive", "llamacpp", "openai", " OpenAI "])
def test_explicit_names(name: str) -> None:
    assert resolve_name(Settings(generator=name)) == name.strip().lower()


def test_unknown_name_lists_the_choices() -> None:
    with pytest.raises(UnknownGenerator, match="choose one of: auto, extractive, llamacpp"):
        resolve_name(Settings(generator="gpt5"))
