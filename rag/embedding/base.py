"""The ``Embedder`` protocol every embedding backend implements, and its one error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class EmbeddingUnavailable(Exception):
    """The embeddings server is down or broken; the message is one line naming its URL."""


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; e5 needs distinct query and passage roles."""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...
