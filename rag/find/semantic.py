"""Semantic lookup: the document sentences closest in meaning to the query, in any language."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rag.find.match import Match
from rag.store.sentence_vectors import DocumentSentenceVectors
from rag.types import Document

BACKGROUND_RANKS = 6
# Sentences whose neighbours are tried as a pair: a query often joins two sentences of the
# document ("the ministry said X" over "The ministry criticised… Its spokesman said X").
PAIR_SEEDS = 3


class SentenceIndex:
    """Every sentence of the documents with its embedding."""

    def __init__(self, documents: Sequence[Document], store: DocumentSentenceVectors) -> None:
        self.keys: list[tuple[str, int, int]] = []
        self.owners: list[Document] = []
        blocks = []
        for document in documents:
            if not document.sentences:
                continue
            blocks.append(store.vectors(document))
            for start, end in document.sentences:
                self.keys.append((document.doc_id, start, end))
                self.owners.append(document)
        self.vectors = np.vstack(blocks) if blocks else np.zeros((0, 1), dtype=np.float32)

    def search(self, query_vector: np.ndarray, limit: int) -> tuple[list[Match], float, list[int]]:
        """The ``limit`` most similar sentences, scored by cosine similarity, best first, and the
        query's background similarity: the mean over the runners-up (ranks 2 to 6), and the rows
        of the matches (for ``pairs``).

        e5 puts every pair of texts at a cosine of 0.75-0.85, and an on-topic sentence the
        documents don't contain scores as high as a translated one that they do; what tells them
        apart is how far the best sentence stands above its neighbours.
        """
        if not self.keys:
            return [], 0.0, []
        similarity = self.vectors @ query_vector
        order = np.argsort(-similarity)
        runners_up = list(similarity[order[1:BACKGROUND_RANKS]])
        # Too few sentences to tell the best from the rest: missing runners-up count as ties,
        # so a corpus of one or two sentences never "finds" a text by meaning alone.
        runners_up += [similarity[order[0]]] * (BACKGROUND_RANKS - 1 - len(runners_up))
        background = float(np.mean(runners_up))
        best = order[:limit]
        matches = [
            Match(
                self.owners[i].source,
                self.keys[i][1],
                self.keys[i][2],
                self.owners[i].text[self.keys[i][1] : self.keys[i][2]],
                float(similarity[i]),
                "semantic",
            )
            for i in best
        ]
        return matches, background, [int(i) for i in best]

    def pairs(self, query_vector: np.ndarray, singles: list[int]) -> list[tuple[Match, float]]:
        """Each of ``singles`` (rows, best first) joined with the sentence before or after it in
        its document, scored by the cosine of the mean of their two vectors (no embedding),
        with the better of the two sentences' own cosines."""
        pairs: list[tuple[Match, float]] = []
        seen: set[int] = set()
        for row in singles:
            for first in (row - 1, row):
                second = first + 1
                if first < 0 or second >= len(self.keys) or first in seen:
                    continue
                if self.keys[first][0] != self.keys[second][0]:
                    continue  # not the same document
                joined = self.vectors[first] + self.vectors[second]
                norm = float(np.linalg.norm(joined))
                if not self.vectors[first].any() or not self.vectors[second].any() or not norm:
                    continue  # a fragment (zero row) is no sentence to join
                seen.add(first)
                owner = self.owners[first]
                start, end = self.keys[first][1], self.keys[second][2]
                score = float(joined @ query_vector) / norm
                member = float(
                    max(self.vectors[first] @ query_vector, self.vectors[second] @ query_vector)
                )
                quote = owner.text[start:end]
                pairs.append((Match(owner.source, start, end, quote, score, "semantic"), member))
        return pairs
