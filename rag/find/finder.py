"""Source-citation lookup: where the documents say a given text, exactly, nearly or in meaning."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rag.chunking import split_sentences
from rag.embedding import Embedder
from rag.find.exact import find_normalised, find_verbatim
from rag.find.fuzzy import find_fuzzy
from rag.find.match import FindResult, Match
from rag.find.normalise import Normalised, normalise
from rag.find.semantic import SentenceIndex
from rag.find.thresholds import Thresholds
from rag.locate import where_in
from rag.store.sentence_vectors import DocumentSentenceVectors
from rag.types import Document

# Shorter pieces of a several-sentence query ("Yes.") mean nothing on their own.
_MIN_PART_WORDS = 4


@dataclass(frozen=True)
class Candidates:
    """A query's best matches of every kind before thresholds, with, for each semantic match,
    the mean similarity of the runner-up sentences for its part of the query (else 0)."""

    matches: list[Match]
    backgrounds: list[float]

    @property
    def background(self) -> float:
        """The first semantic match's background (0 when there is none)."""
        return next(
            (
                b
                for m, b in zip(self.matches, self.backgrounds, strict=True)
                if m.kind == "semantic"
            ),
            0.0,
        )

    def accepted(self, thresholds: Thresholds) -> list[Match]:
        return [
            m
            for m, b in zip(self.matches, self.backgrounds, strict=True)
            if thresholds.accepts(m, b)
        ]


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
        self._by_source = {document.source: document for document in self.documents}
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
            return Candidates(matches[:limit], [0.0] * len(matches[:limit]))
        for document in self.documents:
            match = find_fuzzy(document, self.folded(document), folded_query)
            if match is not None:
                matches.append(match)
        matches.sort(key=lambda m: m.score, reverse=True)
        matches = matches[:limit]
        backgrounds = [0.0] * len(matches)
        if folded_query:
            for similar, background in self._semantic(query, limit):
                matches.extend(similar)
                backgrounds.extend([background] * len(similar))
        return Candidates(matches, backgrounds)

    def _semantic(self, query: str, limit: int) -> list[tuple[list[Match], float]]:
        """The closest sentences to the query or, for a query of several sentences (a
        translated paragraph), to each of them: each part is located on its own."""
        parts = [query[s:e] for s, e in split_sentences(query, "en")]
        parts = [p for p in parts if len(p.split()) >= _MIN_PART_WORDS]
        if len(parts) < 2:
            parts = [query]
        # A quote is a statement like the sentences, so both sides get e5's "passage:" role;
        # on the seed article this doubled the lead of translations over absent sentences.
        vectors = self.embedder.embed_passages(parts)
        searches = [self.sentences.search(vector, limit) for vector in vectors]
        if len(parts) == 1:
            return searches
        # Each part's best sentence, then the runners-up: a paragraph's sentences come first.
        return [(similar[:1], bg) for similar, bg in searches] + [
            (similar[1:], bg) for similar, bg in searches
        ]

    def find(self, query: str, limit: int = 5) -> FindResult:
        """Matches at or above their kind's threshold, best first, without overlapping spans."""
        kept: list[Match] = []
        for match in self.candidates(query, limit).accepted(self.thresholds):
            if not _overlaps(match, kept):
                kept.append(match)
        located = [self._located(match) for match in kept[:limit]]
        return FindResult(query, bool(located), tuple(located))

    def _located(self, match: Match) -> Match:
        document = self._by_source.get(match.source)
        if document is None:
            return match
        return replace(match, **where_in(document, match.start, match.end))
