"""Configured generator name -> factory; heavy backends are imported only when chosen."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from rag.generation.base import GenerationError, Generator
from rag.generation.bundled import default_model_dir, get_bundled, is_verified, parts_installed
from rag.settings import Settings


def _extractive(settings: Settings) -> Generator:
    from rag.generation.extractive import ExtractiveGenerator

    return ExtractiveGenerator()


def _llamacpp(settings: Settings) -> Generator:
    from rag.generation.llamacpp import LlamaCppGenerator

    return LlamaCppGenerator(settings)


def _openai(settings: Settings) -> Generator:
    from rag.generation.openai_compat import OpenAICompatGenerator

    return OpenAICompatGenerator(settings)


FACTORIES: dict[str, Callable[[Settings], Generator]] = {
    "extractive": _extractive,
    "llamacpp": _llamacpp,
    "openai": _openai,
}
# What ``auto`` picks when no server is configured and a GGUF model is available; chosen
# from BENCHMARKS.md (README, "Choosing a model").
AUTO_LOCAL = "llamacpp"


class UnknownGenerator(ValueError):
    pass


def local_model_available(settings: Settings) -> bool:
    """A GGUF file is configured or bundled, and llama-cpp-python is importable."""
    if importlib.util.find_spec("llama_cpp") is None:
        return False
    if settings.gguf_path is not None:
        return settings.gguf_path.is_file()
    try:
        model = get_bundled(settings.bundled_model)
    except GenerationError:
        return False
    target = (settings.model_dir or default_model_dir()) / model.filename
    return is_verified(model, target) or parts_installed(model)


def resolve_name(settings: Settings) -> str:
    """``auto`` picks the best generator available on this machine."""
    name = settings.generator.strip().lower()
    if name == "auto":
        if settings.llm_base_url:
            return "openai"
        if AUTO_LOCAL != "extractive" and local_model_available(settings):
            return AUTO_LOCAL
        return "extractive"
    if name not in FACTORIES:
        raise UnknownGenerator(
            f"unknown generator '{settings.generator}' (RAG_GENERATOR); "
            f"choose one of: auto, {', '.join(sorted(FACTORIES))}"
        )
    return name


def create_generator(settings: Settings, name: str | None = None) -> Generator:
    """The configured generator, or ``name``; a missing model or URL is ``GenerationError``."""
    return FACTORIES[name or resolve_name(settings)](settings)
