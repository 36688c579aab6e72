"""Configured generator name -> factory; heavy backends are imported only when chosen."""

from __future__ import annotations

from collections.abc import Callable

from rag.generation.base import Generator
from rag.settings import Settings


def _extractive(settings: Settings) -> Generator:
    from rag.generation.extractive import ExtractiveGenerator

    return ExtractiveGenerator()


FACTORIES: dict[str, Callable[[Settings], Generator]] = {
    "extractive": _extractive,
}


class UnknownGenerator(ValueError):
    pass


def resolve_name(settings: Settings) -> str:
    """``auto`` picks the best generator available on this machine."""
    name = settings.generator.strip().lower()
    if name == "auto":
        return "extractive"
    if name not in FACTORIES:
        raise UnknownGenerator(
            f"unknown generator '{settings.generator}' (RAG_GENERATOR); "
            f"choose one of: auto, {', '.join(sorted(FACTORIES))}"
        )
    return name


def create_generator(settings: Settings) -> Generator:
    return FACTORIES[resolve_name(settings)](settings)
