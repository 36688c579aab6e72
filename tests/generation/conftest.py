"""Real LLM components for the generator tests: the bundled 0.5B model and a loopback server."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.chunking import chunk_spans, split_sentences
from rag.types import Chunk, Passage

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_56f87384ee41d195.txt"


@pytest.fixture(scope="session")
def seed_passages() -> tuple[Passage, ...]:
    """The seed article cut into ~700-character chunks, in document order."""
    text = SEED.read_text(encoding="utf-8")
    spans = chunk_spans(split_sentences(text, "fr"), 700)
    return tuple(
        Passage(Chunk(SEED.name, "seed", i, s, e, text[s:e]), 1.0) for i, (s, e) in enumerate(spans)
    )


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
