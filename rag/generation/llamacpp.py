"""A GGUF model run in-process through llama-cpp-python; the bundled Qwen model by default."""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from rag.generation.base import GenerationError, GenerationRequest
from rag.generation.bundled import assemble, check_gguf, default_model_dir, get_bundled
from rag.generation.prompt import Message, build_messages, prefix_messages
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
def _load(path: str, n_ctx: int, threads: int, prompt_lookup: bool = False) -> Any:
    try:
        from llama_cpp import Llama
        from llama_cpp.llama_speculative import LlamaPromptLookupDecoding
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
            # Answers copy phrases from the passages: drafting tokens by matching the prompt's
            # n-grams can let one forward pass accept several of them.
            draft_model=LlamaPromptLookupDecoding(num_pred_tokens=10) if prompt_lookup else None,
            verbose=False,
        )
    except (ValueError, RuntimeError) as exc:
        raise GenerationError(f"model file {path} could not be loaded: {exc}") from None
    # Freed by __del__ at interpreter shutdown, llama.cpp's bindings are already gone and every
    # `rag ask` would end with an ignored-exception traceback; free it while they still exist.
    atexit.register(model.close)
    return model


def _render(llm: Any, messages: list[Message], generation_prompt: bool = False) -> str | None:
    """``messages`` as the model's own chat template writes them, without the reply opener
    unless ``generation_prompt``: the text llama-cpp-python tokenizes (None for a model
    without a template)."""
    template = llm.metadata.get("tokenizer.chat_template")
    if not template or llm.chat_format != "chat_template.default":
        return None
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    def text(token: int) -> str:
        return str(llm._model.token_get_text(token)) if token != -1 else ""

    formatter = Jinja2ChatFormatter(
        template=template,
        eos_token=text(llm.token_eos()),
        bos_token=text(llm.token_bos()),
        add_generation_prompt=generation_prompt,
    )
    return str(formatter(messages=messages).prompt)  # type: ignore[arg-type]


class PrefixStates:
    """KV-cache states of prompt prefixes (instructions and worked example, one per language).

    llama.cpp reuses the longest common prefix with the previous prompt by itself, so a state
    is only loaded when another prompt came in between: a French question after an English
    one, or a follow-up rewrite. Reading the ~300-token prefix again costs ~8 s on 2 cores.
    """

    def __init__(self, capacity: int = 4) -> None:
        self.capacity = capacity
        self._states: OrderedDict[tuple[int, ...], Any] = OrderedDict()

    def prepare(self, llm: Any, prefix: list[int]) -> str:
        """Leave ``llm`` holding ``prefix`` in its cache; says how: kept, loaded, or read."""
        held = llm.input_ids[: llm.n_tokens].tolist()
        if not prefix or held[: len(prefix)] == prefix:
            return "kept"
        key = tuple(prefix)
        if key in self._states:
            llm.load_state(self._states[key])
            self._states.move_to_end(key)
            return "loaded"
        llm.reset()
        llm.eval(prefix)
        self._states[key] = llm.save_state()
        while len(self._states) > self.capacity:
            self._states.popitem(last=False)
        return "read"

    def __len__(self) -> int:
        return len(self._states)


def _shared(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class LlamaCppGenerator:
    """Streams a cited answer from a local GGUF model; loads it once per process."""

    name = "llamacpp"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path = resolve_gguf(settings)
        self.prefixes = PrefixStates()
        # Prompt tokens of the last call and how many of them came from the KV cache.
        self.last_prompt_tokens = 0
        self.last_reused_tokens = 0

    def model(self) -> Any:
        """The loaded llama.cpp model (loaded on first use, then shared)."""
        s = self.settings
        return _load(
            str(self.path), s.llm_context, default_threads(s.llm_threads), s.llm_prompt_lookup
        )

    def prime(self, language: str) -> None:
        """Read the instruction prefix of ``language`` now (at start-up) and save its KV state,
        so the first question pays only for its own tokens."""
        llm = self.model()
        head = _render(llm, prefix_messages(language, self.settings.llm_one_shot))
        if head is not None:
            with _LOCK:
                self.prefixes.prepare(llm, llm.tokenize(head.encode(), add_bos=False, special=True))

    def forget(self) -> None:
        """Drop the cached tokens after the prefix, as if the last question had been another."""
        llm = self.model()
        with _LOCK:
            llm.reset()

    def load(self) -> None:
        """Load the model now (seconds) rather than at the first question."""
        # Through model(): lru_cache keys on the arguments as passed, so a call leaving out
        # prompt_lookup loaded a second copy of the model on the first question.
        self.model()

    def generate(self, request: GenerationRequest) -> Iterator[str]:
        s = self.settings
        llm = self.model()  # on the first piece asked for, as before: loading can fail

        def count(text: str) -> int:
            return len(llm.tokenize(text.encode(), add_bos=False, special=False))

        messages = build_messages(request, s.llm_one_shot, s.llm_prompt_tokens, count)
        prefix = prefix_messages(request.language, s.llm_one_shot)
        yield from self.chat(messages, prefix=prefix)

    def chat(
        self,
        messages: list[Message],
        max_tokens: int | None = None,
        prefix: list[Message] | None = None,
    ) -> Iterator[str]:
        """Stream the reply to raw chat messages (also used to rewrite follow-up questions).

        ``prefix``, the first messages, is kept in a saved KV state for the next prompts.
        """
        s = self.settings
        max_tokens = max_tokens or s.llm_max_tokens
        llm = self.model()
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
            self._reuse(llm, messages, prefix)
            yield from self._stream(llm, messages, max_tokens, deadline)

    def _reuse(self, llm: Any, messages: list[Message], prefix: list[Message] | None) -> None:
        """Put ``prefix``'s KV state in place and note how much of the prompt need not be read."""
        full = _render(llm, messages)
        if full is None:
            return
        tokens = llm.tokenize(full.encode(), add_bos=False, special=True)
        head = _render(llm, prefix) if prefix else None
        how = "kept"
        if head is not None and full.startswith(head):
            how = self.prefixes.prepare(
                llm, llm.tokenize(head.encode(), add_bos=False, special=True)
            )
        self.last_prompt_tokens = len(tokens)
        held = llm.input_ids[: llm.n_tokens].tolist()
        self.last_reused_tokens = 0 if how == "read" else _shared(held, tokens)

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
