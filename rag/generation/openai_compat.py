"""Any OpenAI-compatible chat endpoint: Ollama, vLLM, llama.cpp's server, LM Studio, hosted APIs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from rag.generation.base import GenerationError, GenerationRequest
from rag.generation.prompt import Message, build_messages
from rag.settings import Settings

_CONTEXT_HINTS = ("context length", "context_length", "maximum context", "too long", "n_ctx")


def _client(settings: Settings) -> Any:
    try:
        from openai import OpenAI, Timeout
    except ImportError:
        raise GenerationError("the openai package is not installed: pip install openai") from None
    timeout = settings.llm_timeout_s
    return OpenAI(
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key,
        # Connecting to a local server is instant or never; reading waits for each token.
        timeout=Timeout(timeout, connect=min(5.0, timeout)),
        max_retries=0,
    )


def describe_error(url: str, exc: Exception, timeout_s: float) -> str:
    """One line saying which server failed and how, from an ``openai`` exception."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return f"LLM server {url} did not answer within {timeout_s:.0f} s (RAG_LLM_TIMEOUT_S)"
    if isinstance(exc, openai.APIConnectionError):
        return f"cannot reach LLM server {url}: connection failed"
    if isinstance(exc, openai.APIStatusError):
        body = str(getattr(exc, "message", "") or exc)
        detail = " ".join(body.split())[:160]
        if any(hint in body.lower() for hint in _CONTEXT_HINTS):
            return f"LLM server {url}: context overflow (lower RAG_TOP_K): {detail}"
        if exc.status_code == 404:
            return f"LLM server {url}: model or endpoint not found (HTTP 404): {detail}"
        if exc.status_code in (401, 403):
            return f"LLM server {url} refused the API key (HTTP {exc.status_code})"
        return f"LLM server {url} answered HTTP {exc.status_code}: {detail}"
    return f"LLM server {url}: {type(exc).__name__}: {' '.join(str(exc).split())[:160]}"


class OpenAICompatGenerator:
    """Streams a cited answer from ``RAG_LLM_BASE_URL``'s chat-completions endpoint."""

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        if not settings.llm_base_url:
            raise GenerationError("RAG_LLM_BASE_URL is not set (e.g. http://127.0.0.1:11434/v1)")
        self.settings = settings
        self.url = settings.llm_base_url
        self.client = _client(settings)

    def generate(self, request: GenerationRequest) -> Iterator[str]:
        s = self.settings
        return self.chat(build_messages(request, s.llm_one_shot, s.llm_prompt_tokens))

    def chat(self, messages: list[Message], max_tokens: int | None = None) -> Iterator[str]:
        """Stream the reply to raw chat messages (also used to rewrite follow-up questions)."""
        import openai

        s = self.settings
        deadline = time.monotonic() + s.llm_timeout_s
        try:
            stream = self.client.chat.completions.create(
                model=s.llm_model,
                messages=messages,
                stream=True,
                max_tokens=max_tokens or s.llm_max_tokens,
                temperature=s.llm_temperature,
            )
            with stream:
                for chunk in stream:
                    if chunk.choices and chunk.choices[0].delta.content:
                        yield chunk.choices[0].delta.content
                    if time.monotonic() > deadline:
                        raise GenerationError(
                            f"LLM server {self.url}: no complete answer within "
                            f"{s.llm_timeout_s:.0f} s (RAG_LLM_TIMEOUT_S)"
                        )
        except openai.OpenAIError as exc:
            raise GenerationError(describe_error(self.url, exc, s.llm_timeout_s)) from None
        except GenerationError:
            raise
        except Exception as exc:  # the HTTP library's own errors when a stream breaks off
            raise GenerationError(describe_error(self.url, exc, s.llm_timeout_s)) from None
