"""The assistant: retrieval, evidence, answer generation and citation checks, wired together."""

from __future__ import annotations

import time
from collections.abc import Callable

from rag.citations import cite, verify
from rag.embedding import Embedder, create_embedder
from rag.generation.base import Evidence, GenerationRequest, Generator, Turn
from rag.generation.extractive import DECLINE
from rag.generation.registry import create_generator
from rag.indexer import Indexer, IndexReport
from rag.ingest.language import detect_question_language
from rag.retrieval.answerability import THRESHOLD, confidence, features
from rag.retrieval.evidence import SentenceVectors, score_sentences
from rag.retrieval.hybrid import retrieve
from rag.settings import Settings
from rag.store.base import IndexStore, VectorStore
from rag.store.layout import IndexLayout
from rag.store.registry import open_index_store
from rag.store.snapshot import IndexSnapshot
from rag.types import Answer, Citation, Passage


class QuestionError(ValueError):
    """A question the assistant refuses to process (empty, too long); the message says why."""


def clean_question(question: str, max_chars: int) -> str:
    # Control characters come from pasted terminal output; they carry no meaning for retrieval.
    cleaned = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in question).strip()
    if not cleaned:
        raise QuestionError("the question is empty")
    if len(cleaned) > max_chars:
        raise QuestionError(
            f"the question is {len(cleaned)} characters long; the limit is {max_chars} "
            "(setting RAG_MAX_QUESTION_CHARS)"
        )
    return cleaned


class Assistant:
    """Loads the embedder once and answers many questions; reloads the index when it changes."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or create_embedder(settings)
        self.layout = IndexLayout(settings.index_dir)  # the embedded store's folder
        self.sentence_vectors = SentenceVectors(self.embedder)
        self._store: IndexStore | None = None
        self._snapshot: IndexSnapshot | None = None
        self._generator: Generator | None = None

    @property
    def store(self) -> IndexStore:
        if self._store is None:
            self._store = open_index_store(self.settings)
        return self._store

    @property
    def vectors(self) -> VectorStore:
        return self.store.vectors

    def index(
        self, rebuild: bool = False, progress: Callable[[int, int], None] | None = None
    ) -> IndexReport:
        report = Indexer(self.settings, self.embedder, self.store).run(
            rebuild=rebuild, progress=progress
        )
        self._snapshot = None
        return report

    def snapshot(self) -> IndexSnapshot:
        """The latest committed index; one question reads one snapshot from start to end."""
        if self._snapshot is None or self._snapshot.is_stale(self.store):
            self._snapshot = IndexSnapshot.load(self.store, self.settings.chunk_chars)
        return self._snapshot

    def retrieve(self, question: str, k: int | None = None) -> list[Passage]:
        question = clean_question(question, self.settings.max_question_chars)
        vector = self.embedder.embed_query(question)
        return retrieve(self.snapshot(), question, vector, k or self.settings.top_k)

    def evidence(
        self, question: str, snapshot: IndexSnapshot | None = None
    ) -> tuple[list[Passage], list[Evidence], dict[str, float]]:
        started = time.perf_counter()
        question = clean_question(question, self.settings.max_question_chars)
        vector = self.embedder.embed_query(question)
        snapshot = snapshot or self.snapshot()
        passages = retrieve(snapshot, question, vector, self.settings.top_k)
        retrieved = time.perf_counter()
        evidence = score_sentences(snapshot, self.sentence_vectors, question, vector, passages)
        timings = {
            "retrieve": (retrieved - started) * 1000,
            "evidence": (time.perf_counter() - retrieved) * 1000,
        }
        return passages, evidence, timings

    # -- answering -------------------------------------------------------------------------

    @property
    def generator(self) -> Generator:
        if self._generator is None:
            self._generator = create_generator(self.settings)
        return self._generator

    def ask(self, question: str, history: tuple[Turn, ...] = ()) -> Answer:
        """Answer one question with verified citations, or decline when the documents don't say."""
        started = time.perf_counter()
        question = clean_question(question, self.settings.max_question_chars)
        language = detect_question_language(question)
        # A writer may commit mid-question: every step below reads this one snapshot.
        snapshot = self.snapshot()
        passages, evidence, timings = self.evidence(question, snapshot)
        score = 0.0
        if evidence:
            best = evidence[0]
            document = snapshot.documents[passages[best.passage_number - 1].chunk.doc_id]
            context = passages[best.passage_number - 1].chunk.text
            score = confidence(features(question, evidence, document.language, context))
        threshold = self.settings.answer_threshold
        answerable = bool(evidence) and score >= (THRESHOLD if threshold is None else threshold)

        generated = time.perf_counter()
        citations: list[Citation] = []
        if answerable:
            request = GenerationRequest(
                question, language, tuple(passages), tuple(evidence), history
            )
            draft = "".join(self.generator.generate(request))
            text, citations = cite(snapshot, draft, passages)
            verify(snapshot, citations)
            answerable = bool(citations)
        if not answerable:
            text = DECLINE[language]
        finished = time.perf_counter()
        timings["generate"] = (finished - generated) * 1000
        timings["total"] = (finished - started) * 1000
        return Answer(
            question=question,
            text=text,
            answerable=answerable,
            citations=tuple(citations),
            passages=tuple(passages),
            generator=self.generator.name,
            timings_ms=timings,
            confidence=score,
            language=language,
        )
