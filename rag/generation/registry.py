"""Maps ``RAG_GENERATOR`` names to generator factories and resolves ``auto``."""

from __future__ import annotations

import importlib
import importlib.util

from rag.generation.base import GenerationError, Generator
from rag.generation.bundled import default_model_dir, get_bundled, is_verified, parts_installed
from rag.settings import Settings

# Import paths, not classes: a generator's heavy dependencies load only when it is chosen.
GENERATORS: dict[str, str] = {
    "extractive": "rag.generation.extractive:ExtractiveGenerator",
    "llamacpp": "rag.generation.llamacpp:LlamaCppGenerator",
    "openai": "rag.generation.openai_compat:OpenAICompatGenerator",
}
# What ``auto`` picks when no server is configured and a GGUF model is available.
# Set from BENCHMARKS.md: see the README section "Choosing a model".
AUTO_LOCAL = "llamacpp"


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
    """The generator ``settings.generator`` names, with ``auto`` made concrete."""
    name = settings.generator
    if name != "auto":
        if name not in GENERATORS:
            known = ", ".join(["auto", *GENERATORS])
            raise GenerationError(f"unknown generator {name!r} (RAG_GENERATOR); known: {known}")
        return name
    if settings.llm_base_url:
        return "openai"
    if AUTO_LOCAL != "extractive" and local_model_available(settings):
        return AUTO_LOCAL
    return "extractive"


def create_generator(name: str, settings: Settings) -> Generator:
    """Build the named generator; errors (missing model, bad URL) are ``GenerationError``."""
    module_name, _, attribute = GENERATORS[name].partition(":")
    factory = getattr(importlib.import_module(module_name), attribute)
    generator: Generator = factory(settings)
    return generator
