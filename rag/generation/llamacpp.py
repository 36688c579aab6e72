"""A GGUF model run in-process through llama-cpp-python; the bundled Qwen model by default."""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from rag.generation.base import GenerationError, GenerationRequest
from rag.generation.bundled import assemble, check_gguf, default_model_dir, get_bundled
from rag.generation.prompt import Message, build_messages
from rag.settings import Settings


def resolve_gguf(settings: Settings) -> Path:
    """The GGUF file to load: ``RAG_GGUF_PATH`` if set, else the bundled model, assembled."""
    if settings.gguf_path is not None:
        return check_gguf(settings.gguf_path)
    model = get_bundled(settings.bundled_model)
    return check_gguf(assemble(model, settings.model_dir or default_model_dir()))


def default_threads(configured: int | None) -> int:
    """``RAG_LLM_THREADS``, else every core.

    Measured on 2 idle cores: 2 threads halve the time to the first token (12 s vs 23 s for a
    five-passage prompt with the 1.5B). On a machine busy with other work, fewer threads are
    faster, since llama.cpp's threads spin while they wait for each other: set it lower there.
    """
    return configured or max(1, os.cpu_count() or 1)


_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _load(path: str, n_ctx: int, threads: int) -> Any:
    try:
        from llama_cpp import Llama
    except ImportError:
        raise GenerationError(
            "llama-cpp-python is not installed: pip install 'llama-cpp-python[server]==0.3.36'"
        ) from None
    try:
        model = Llama(
            model_path=path,
            n_ctx=n_ctx,
            n_threads=threads,
            # llama.cpp's threads spin at barriers: more threads than free cores (a shared
            # machine) slows prompt reading several-fold, so reading uses the same count.
            n_threads_batch=threads,
            verbose=False,
        )
    except (ValueError, RuntimeError) as exc:
        raise GenerationError(f"model file {path} could not be loaded: {exc}") from None
    # Freed by __del__ at interpreter shutdown, llama.cpp's bindings are already gone and every
    # `rag ask` would end with an ignored-exception traceback; free it while they still exist.
    atexit.register(model.close)
    return model


class LlamaCppGenerator:
    """Streams a cited answer from a local GGUF model; loads it once per process."""

    name = "llamacpp"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path = resolve_gguf(settings)

    def load(self) -> None:
        """Load the model now (seconds) rather than at the first question."""
        s = self.settings
        _load(str(self.path), s.llm_context, default_threads(s.llm_threads))

    def generate(self, request: GenerationRequest) -> Iterator[str]:
        return self.chat(build_messages(request, one_shot=self.settings.llm_one_shot))

    def chat(self, messages: list[Message], max_tokens: int | None = None) -> Iterator[str]:
        """Stream the reply to raw chat messages (also used to rewrite follow-up questions)."""
        s = self.settings
        max_tokens = max_tokens or s.llm_max_tokens
        llm = _load(str(self.path), s.llm_context, default_threads(s.llm_threads))
        prompt_tokens = sum(
            len(llm.tokenize(m["content"].encode(), add_bos=False, special=False)) for m in messages
        ) + 8 * len(messages)  # role and separator tokens of the chat template
        if prompt_tokens + max_tokens > s.llm_context:
            raise GenerationError(
                f"model {self.path.name}: prompt of ~{prompt_tokens} tokens plus "
                f"{max_tokens} to write exceeds the {s.llm_context}-token context "
                "(lower RAG_TOP_K or raise RAG_LLM_CONTEXT)"
            )
        deadline = time.monotonic() + s.llm_timeout_s
        # One llama.cpp context serves one request at a time; the web app asks concurrently.
        with _LOCK:
            yield from self._stream(llm, messages, max_tokens, deadline)

    def _stream(
        self, llm: Any, messages: list[Message], max_tokens: int, deadline: float
    ) -> Iterator[str]:
        s = self.settings
        try:
            stream = llm.create_chat_completion(
                messages=messages,
                stream=True,
                max_tokens=max_tokens,
                temperature=s.llm_temperature,
            )
            for chunk in stream:
                piece = chunk["choices"][0]["delta"].get("content")
                if piece:
                    yield piece
                if time.monotonic() > deadline:
                    # The model runs in this process: stopping early is the only timeout there is.
                    raise GenerationError(
                        f"model {self.path.name}: no complete answer within "
                        f"{s.llm_timeout_s:.0f} s (RAG_LLM_TIMEOUT_S)"
                    )
        except ValueError as exc:  # llama.cpp reports context overflow as ValueError
            raise GenerationError(f"model {self.path.name}: {exc}") from None
