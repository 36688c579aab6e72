"""Sentence-level evidence: which sentences inside the retrieved passages answer the question."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from rag.embedding import Embedder
from rag.generation.base import Evidence
from rag.ingest.language import detect_question_language
from rag.retrieval.language_bias import language_penalty
from rag.retrieval.lexical import tokenize
from rag.retrieval.literals import literal_share, literals
from rag.retrieval.sentence_kind import sentence_kind
from rag.standalone import stands_alone
from rag.store.snapshot import IndexSnapshot
from rag.types import Passage, unit_id

StoredVectors = Callable[[Sequence[str]], dict[str, np.ndarray]]

# Similarity dominates; shared words break near-ties toward the literal match.
WORD_WEIGHT = 0.05
# A sentence that writes every identifier of the question ("W:", "debian/watch") gains this:
# in technical text the neighbours of the answer are as similar to within 0.01-0.02, and an
# identifier is the one thing an English question and a French answer share
# (docs/retrieval-experiments.md, "Real documents").
LITERAL_WEIGHT = 0.03


class SentenceVectors:
    """Sentence vectors by id: kept in memory, read from the index, else embedded.

    The index stores every sentence's vector; embedding is the fallback for an index built
    before it did, or sentences outside any index."""

    def __init__(
        self, embedder: Embedder, stored: StoredVectors | None = None, capacity: int = 50_000
    ) -> None:
        self.embedder = embedder
        self.stored = stored
        self.capacity = capacity
        self._cache: dict[str, np.ndarray] = {}

    def vectors(self, ids: list[str], texts: list[str]) -> np.ndarray:
        missing = [i for i, unit_id in enumerate(ids) if unit_id not in self._cache]
        if missing:
            if len(self._cache) + len(missing) > self.capacity:
                self._cache.clear()
            if self.stored is not None:
                self._cache.update(self.stored([ids[i] for i in missing]))
                missing = [i for i in missing if ids[i] not in self._cache]
        if missing:
            fresh = self.embedder.embed_passages([texts[i] for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                self._cache[ids[i]] = vector
        return np.vstack([self._cache[unit_id] for unit_id in ids]) if ids else np.zeros((0, 1))


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
    """Every sentence of the passages that stands alone (the index holds a vector for each),
    scored by similarity to the question, best first."""
    ids: list[str] = []
    spans: list[tuple[int, int]] = []
    texts: list[str] = []
    owners: list[int] = []
    kinds: list[str] = []
    foreign: list[float] = []  # what it gets for being in the question's language
    asked_in = detect_question_language(question)
    for number, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        document = snapshot.documents[chunk.doc_id]
        for n, (start, end) in enumerate(document.sentences):
            if start >= chunk.start and end <= chunk.end and stands_alone(document.text[start:end]):
                ids.append(unit_id(chunk.doc_id, n))
                spans.append((start, end))
                texts.append(document.text[start:end])
                owners.append(number)
                kinds.append(sentence_kind(document, start, end))
                foreign.append(language_penalty(asked_in, document.language, texts[-1]))
    if not ids:
        return []
    similarity = sentence_vectors.vectors(ids, texts) @ question_vector
    wanted = literals(question)
    evidence = [
        Evidence(
            passage_number=owners[i],
            source=passages[owners[i] - 1].chunk.source,
            start=spans[i][0],
            end=spans[i][1],
            text=texts[i],
            score=float(similarity[i])
            + WORD_WEIGHT * lexical_overlap(question, texts[i])
            + LITERAL_WEIGHT * literal_share(wanted, texts[i])
            - foreign[i],
            kind=kinds[i],
        )
        for i in range(len(ids))
    ]
    return sorted(evidence, key=lambda e: e.score, reverse=True)
