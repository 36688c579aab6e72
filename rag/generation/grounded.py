"""Runs an LLM generator, repairs the answer's language once, and verifies its citations."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rag.generation.base import GenerationRequest, Generator
from rag.generation.cite import VerifiedAnswer, verify_answer
from rag.generation.markers import strip_markers
from rag.generation.verify import Embed
from rag.ingest.language import detect_question_language


@dataclass(frozen=True)
class GroundedAnswer:
    """A generated answer, verified, with what it cost and what went wrong on the way."""

    raw: str  # the model's final text, before post-processing
    verified: VerifiedAnswer
    timings_ms: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def answer_language(text: str) -> str:
    """ "fr" or "en" for an answer, judged on its own words (markers removed)."""
    return detect_question_language(strip_markers(text))


def _collect(
    generator: Generator, request: GenerationRequest, on_token: Callable[[str], None] | None
) -> tuple[str, float | None]:
    start = time.perf_counter()
    first: float | None = None
    pieces = []
    for piece in generator.generate(request):
        if first is None:
            first = (time.perf_counter() - start) * 1000
        pieces.append(piece)
        if on_token is not None:
            on_token(piece)
    return "".join(pieces), first


def generate_grounded(
    generator: Generator,
    request: GenerationRequest,
    embed: Embed,
    on_token: Callable[[str], None] | None = None,
) -> GroundedAnswer:
    """Stream the draft to ``on_token``, fix its language if needed, then verify it.

    ``GenerationError`` from the generator propagates: the caller decides on fallback.
    """
    timings: dict[str, float] = {}
    warnings: list[str] = []
    start = time.perf_counter()
    raw, first = _collect(generator, request, on_token)
    if first is not None:
        timings["first_token"] = first
    if raw.strip() and answer_language(raw) != request.language:
        # Small models drift into English on French questions; one rewrite usually fixes it.
        # Its prompt is the answer's prompt plus the draft, so a KV cache reads only the draft.
        repair_start = time.perf_counter()
        repaired, _ = _collect(generator, replace(request, draft=raw), None)
        timings["repair"] = (time.perf_counter() - repair_start) * 1000
        if repaired.strip() and answer_language(repaired) == request.language:
            raw = repaired
        else:
            warnings.append(f"the answer is not in the question's language ({request.language})")
    timings["llm"] = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    verified = verify_answer(raw, request.passages, embed, request.evidence)
    timings["verify"] = (time.perf_counter() - start) * 1000
    if verified.moved:
        warnings.append(
            f"{verified.moved} citation(s) moved to the passage that supports the sentence"
        )
    unsupported = sum(not s.supported for s in verified.sentences)
    if unsupported:
        warnings.append(f"{unsupported} sentence(s) not supported by the cited passages")
    return GroundedAnswer(raw, verified, timings, tuple(warnings))
