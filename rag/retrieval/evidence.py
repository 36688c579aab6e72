"""Sentence-level evidence: which sentences inside the retrieved passages answer the question."""

from __future__ import annotations

import numpy as np

from rag.embedding import Embedder
from rag.generation.base import Evidence
from rag.retrieval.lexical import tokenize
from rag.store.snapshot import IndexSnapshot
from rag.types import Passage


class SentenceVectors:
    """Embeds sentences on first use and keeps them: the same top passages recur across questions."""

    def __init__(self, embedder: Embedder, capacity: int = 50_000) -> None:
        self.embedder = embedder
        self.capacity = capacity
        self._cache: dict[tuple[str, int, int], np.ndarray] = {}

    def vectors(self, keys: list[tuple[str, int, int]], texts: list[str]) -> np.ndarray:
        missing = [i for i, key in enumerate(keys) if key not in self._cache]
        if missing:
            if len(self._cache) + len(missing) > self.capacity:
                self._cache.clear()
            fresh = self.embedder.embed_passages([texts[i] for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                self._cache[keys[i]] = vector
        return np.vstack([self._cache[key] for key in keys]) if keys else np.zeros((0, 1))


def lexical_overlap(question: str, sentence: str) -> float:
    """Share of the question's content words present in the sentence (accents and case folded)."""
    wanted = set(tokenize(question))
    if not wanted:
        return 0.0
    return len(wanted & set(tokenize(sentence))) / len(wanted)


def score_sentences(
    snapshot: IndexSnapshot,
    sentence_vectors: SentenceVectors,
    question: str,
    question_vector: np.ndarray,
    passages: list[Passage],
) -> list[Evidence]:
    """Every sentence of the passages, scored by similarity to the question, best first."""
    keys: list[tuple[str, int, int]] = []
    texts: list[str] = []
    owners: list[int] = []
    for number, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        document = snapshot.documents[chunk.doc_id]
        for start, end in document.sentences:
            if start >= chunk.start and end <= chunk.end:
                keys.append((chunk.doc_id, start, end))
                texts.append(document.text[start:end])
                owners.append(number)
    if not keys:
        return []
    similarity = sentence_vectors.vectors(keys, texts) @ question_vector
    evidence = [
        Evidence(
            passage_number=owners[i],
            source=passages[owners[i] - 1].chunk.source,
            start=keys[i][1],
            end=keys[i][2],
            text=texts[i],
            # Similarity dominates; shared words break near-ties toward the literal match.
            score=float(similarity[i]) + 0.05 * lexical_overlap(question, texts[i]),
        )
        for i in range(len(keys))
    ]
    return sorted(evidence, key=lambda e: e.score, reverse=True)
