"""Source-citation lookup: where the documents say a given text, exactly, nearly or in meaning."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.embedding import Embedder
from rag.find.exact import find_normalised, find_verbatim
from rag.find.fuzzy import find_fuzzy
from rag.find.match import FindResult, Match
from rag.find.normalise import Normalised, normalise
from rag.find.semantic import SentenceIndex
from rag.find.thresholds import Thresholds
from rag.store.sentence_vectors import DocumentSentenceVectors
from rag.types import Document


@dataclass(frozen=True)
class Candidates:
    """A query's best matches of every kind before thresholds, and its semantic background."""

    matches: list[Match]
    background: float  # mean similarity of the runner-up sentences; 0 when not computed


def _overlaps(match: Match, kept: list[Match]) -> bool:
    return any(
        m.source == match.source and m.start < match.end and match.start < m.end for m in kept
    )


class Finder:
    """Looks up many queries against one set of documents; normalised texts and sentence
    embeddings are computed once, on first use."""

    def __init__(
        self,
        documents: Sequence[Document],
        embedder: Embedder,
        store: DocumentSentenceVectors,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.documents = list(documents)
        self.embedder = embedder
        self.store = store
        self.thresholds = thresholds or Thresholds()
        self._folded: dict[str, Normalised] = {}
        self._sentences: SentenceIndex | None = None

    def folded(self, document: Document) -> Normalised:
        if document.content_hash not in self._folded:
            self._folded[document.content_hash] = normalise(document.text)
        return self._folded[document.content_hash]

    @property
    def sentences(self) -> SentenceIndex:
        if self._sentences is None:
            self._sentences = SentenceIndex(self.documents, self.store)
        return self._sentences

    def candidates(self, query: str, limit: int = 5) -> Candidates:
        """Every kind's best matches, unfiltered by thresholds (for calibration)."""
        query = query.strip()
        folded_query = normalise(query).text
        matches: list[Match] = []
        for document in self.documents:
            matches.extend(find_verbatim(document, query))
        if not matches:
            for document in self.documents:
                matches.extend(find_normalised(document, self.folded(document), folded_query))
        if matches:
            return Candidates(matches[:limit], 0.0)
        for document in self.documents:
            match = find_fuzzy(document, self.folded(document), folded_query)
            if match is not None:
                matches.append(match)
        matches.sort(key=lambda m: m.score, reverse=True)
        matches = matches[:limit]
        background = 0.0
        if folded_query:
            # A quote is a statement like the sentences, so both sides get e5's "passage:" role;
            # on the seed article this doubled the lead of translations over absent sentences.
            vector = self.embedder.embed_passages([query])[0]
            similar, background = self.sentences.search(vector, limit)
            matches.extend(similar)
        return Candidates(matches, background)

    def find(self, query: str, limit: int = 5) -> FindResult:
        """Matches at or above their kind's threshold, best first, without overlapping spans."""
        kept: list[Match] = []
        candidates = self.candidates(query, limit)
        for match in candidates.matches:
            if not self.thresholds.accepts(match, candidates.background):
                continue
            if not _overlaps(match, kept):
                kept.append(match)
        return FindResult(query, bool(kept), tuple(kept[:limit]))
