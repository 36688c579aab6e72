"""Source-citation lookup: where the documents say a given text, exactly, nearly or in meaning."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from rag.chunking import split_sentences
from rag.embedding import Embedder
from rag.find.decision import SpanFeatures
from rag.find.exact import find_normalised, find_verbatim
from rag.find.fuzzy import find_fuzzy
from rag.find.judged import SpanJudge, confirm
from rag.find.match import FindResult, Match
from rag.find.normalise import Normalised, normalise
from rag.find.overlap import content_words, coverage, unmatched_words
from rag.find.semantic import PAIR_SEEDS, SentenceIndex
from rag.find.thresholds import Thresholds
from rag.generation.verify import missing_facts, negation_changed
from rag.ingest.language import detect_question_language
from rag.locate import where_in
from rag.store.sentence_vectors import DocumentSentenceVectors
from rag.types import Document

# Shorter pieces of a several-sentence query ("Yes.") mean nothing on their own.
_MIN_PART_WORDS = 4
# Two adjacent sentences are a span of their own only when their mean vector is this much
# closer to the query than the better of them: the query joins them ("the ministry said X"
# over "The ministry criticised… Its spokesman said X"). Any two on-topic sentences gain a
# little from averaging; 0.02-0.03 did alike on the calibration half (docs/bench-find.md).
PAIR_MARGIN = 0.03


@dataclass(frozen=True)
class SpanCandidate:
    """A semantic span (one sentence or two adjacent ones) with what it is judged on; its
    match's score is the cosine until ``Thresholds.semantic_score`` scores it."""

    match: Match
    features: SpanFeatures
    pair: bool = False  # two adjacent sentences


@dataclass(frozen=True)
class Candidates:
    """A query's best matches before thresholds: exact or fuzzy ones, and, for each part of the
    query (one, or each sentence of a several-sentence query), its semantic spans, closest
    first."""

    matches: list[Match]
    semantic: list[list[SpanCandidate]] = field(default_factory=list)
    # For each of ``matches``, the query's words it lacks, typos allowed (exact: 0).
    unmatched: list[int] = field(default_factory=list)
    parts: tuple[str, ...] = ()  # the query's text for each of ``semantic``

    def closest(self) -> list[tuple[str, Match]]:
        """Each part's closest semantic span, with the part's text (for a second look)."""
        pairs = zip(self.parts, self.semantic, strict=False)  # no parts: an older pickled run
        return [(text, part[0].match) for text, part in pairs if part]

    def accepted(self, thresholds: Thresholds) -> list[Match]:
        """Exact and fuzzy matches first, then each part's closest accepted span, then the
        rest; a semantic match is scored by the model's probability."""
        unmatched = self.unmatched or [0] * len(self.matches)
        kept = [m for m, n in zip(self.matches, unmatched, strict=True) if thresholds.accepts(m, n)]
        scored = [
            [
                m
                for c in part
                if (m := thresholds.semantic_score(c.match, c.features)).score
                >= thresholds.semantic_threshold(c.features)
            ]
            for part in self.semantic
        ]
        for rank in (slice(0, 1), slice(1, None)):
            kept += [m for part in scored for m in part[rank]]
        return kept


def _language(document: Document, span: str) -> str:
    """The span's language: a French or English document may quote the other language (a
    French guide's English commands and messages), which a translated query must not get
    the cross-lingual allowance for; other languages are the document's."""
    if document.language in ("fr", "en"):
        return detect_question_language(span)
    return document.language


def _parts(query: str) -> list[str]:
    """The query, or each of its sentences when it has several of some length."""
    parts = [query[s:e] for s, e in split_sentences(query, "en")]
    parts = [p for p in parts if len(p.split()) >= _MIN_PART_WORDS]
    return parts if len(parts) >= 2 else [query]


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
            return Candidates(matches[:limit])
        for document in self.documents:
            match = find_fuzzy(document, self.folded(document), folded_query)
            if match is not None:
                matches.append(match)
        matches.sort(key=lambda m: m.score, reverse=True)
        matches = matches[:limit]
        parts = _parts(query) if folded_query else []
        return Candidates(
            matches,
            self._semantic(parts, limit, max((m.score for m in matches), default=0.0)),
            [unmatched_words(query, m.quote) for m in matches],
            tuple(parts),
        )

    def _semantic(self, parts: list[str], limit: int, fuzzy: float) -> list[list[SpanCandidate]]:
        """The sentences closest to each part of the query (one, or each sentence of a
        translated paragraph) and the pairs they make with their neighbours."""
        if not parts:
            return []
        # A quote is a statement like the sentences, so both sides get e5's "passage:" role;
        # on the seed article this doubled the lead of translations over absent sentences.
        vectors = self.embedder.embed_passages(parts)
        return [
            self._spans(part, vector, limit, fuzzy)
            for part, vector in zip(parts, vectors, strict=True)
        ]

    def _spans(
        self, part: str, vector: np.ndarray, limit: int, fuzzy: float
    ) -> list[SpanCandidate]:
        """The part's closest sentences and the pairs that mean it better than either of their
        sentences, closest first."""
        singles, background, rows = self.sentences.search(vector, limit)
        pairs = [
            pair
            for pair, member in self.sentences.pairs(vector, rows[:PAIR_SEEDS])
            if pair.score >= member + PAIR_MARGIN
        ]
        language = detect_question_language(part)
        words = content_words(part)
        spans = []
        for match, pair in [(m, False) for m in singles] + [(m, True) for m in pairs]:
            document = self._by_source[match.source]
            covered = coverage(words, match.quote)
            features = SpanFeatures(
                cosine=match.score,
                lead=match.score - background,
                coverage=covered,
                cross_lingual=_language(document, match.quote) != language,
                facts_missing=min(2, len(missing_facts(part, match.quote))),
                negation_changed=negation_changed(part, match.quote),
                complete=len(words) >= 3 and covered == 1.0,
                fuzzy=fuzzy,
            )
            spans.append(SpanCandidate(match, features, pair))
        return sorted(spans, key=lambda span: span.features.closeness, reverse=True)

    def find(
        self, query: str, limit: int = 5, judge: Callable[[], SpanJudge | None] | None = None
    ) -> FindResult:
        """Matches at or above their kind's threshold, best first, without overlapping spans.
        When none is, ``judge`` (if given, and if it gives a judge: loading a model can fail)
        takes a second look at each part's closest span (``rag.find.judged``)."""
        candidates = self.candidates(query, limit)
        kept: list[Match] = []
        for match in candidates.accepted(self.thresholds):
            if not _overlaps(match, kept):
                kept.append(match)
        if not kept and judge is not None and candidates.closest():
            second = judge()
            if second is not None:
                kept = confirm(second, candidates.closest())
        located = [self._located(match) for match in kept[:limit]]
        return FindResult(query, bool(located), tuple(located))

    def _located(self, match: Match) -> Match:
        document = self._by_source.get(match.source)
        if document is None:
            return match
        return replace(match, **where_in(document, match.start, match.end))
