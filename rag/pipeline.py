"""The assistant: retrieval, evidence, answer generation and citation checks, wired together."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from rag.brief.briefing import Briefing
from rag.citations import verify
from rag.drafting import Drafter
from rag.embedding import Embedder, create_embedder
from rag.find.finder import Finder
from rag.find.match import FindResult
from rag.generation.base import Evidence, GenerationRequest, Generator, Turn
from rag.generation.extractive import DECLINE
from rag.generation.registry import resolve_name
from rag.generation.rewrite import Chat, rewrite_question
from rag.indexer import Indexer, IndexReport, Progress
from rag.ingest.language import detect_question_language
from rag.retrieval.answerability import THRESHOLD, confidence, features
from rag.retrieval.evidence import SentenceVectors, score_sentences
from rag.retrieval.hybrid import retrieve
from rag.settings import Settings
from rag.store.base import IndexStore, VectorStore
from rag.store.layout import IndexLayout
from rag.store.registry import open_index_store
from rag.store.sentence_vectors import DocumentSentenceVectors
from rag.store.snapshot import IndexSnapshot
from rag.types import Answer, AnswerSentence, Citation, Passage


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
        # Sentence vectors come from the index (the store is opened on first use).
        self.sentence_vectors = SentenceVectors(
            self.embedder, stored=lambda ids: self.store.sentences.vectors(ids)
        )
        self._store: IndexStore | None = None
        self._snapshot: IndexSnapshot | None = None
        self.drafter = Drafter(settings)
        self._finder: tuple[IndexSnapshot, Finder] | None = None
        self.sentence_store = DocumentSentenceVectors(self.sentence_vectors)

    @property
    def store(self) -> IndexStore:
        if self._store is None:
            self._store = open_index_store(self.settings)
        return self._store

    @property
    def vectors(self) -> VectorStore:
        return self.store.vectors

    def index(self, rebuild: bool = False, progress: Progress | None = None) -> IndexReport:
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
        """The configured generator, built on first use (loading a model can fail)."""
        return self.drafter.generator

    def standalone(self, question: str, history: tuple[Turn, ...], language: str) -> str:
        """A follow-up rewritten to stand alone: by the LLM when there is one, else by rule."""
        if not history:
            return question
        chat = self.generator if isinstance(self.generator, Chat) else None
        rewritten = rewrite_question(question, history, language, chat)
        return clean_question(rewritten, self.settings.max_question_chars)

    def ask_stream(self, question: str, history: tuple[Turn, ...] = ()) -> Iterator[str | Answer]:
        """The LLM's draft in pieces as it is written, then the verified ``Answer``."""
        pieces: queue.Queue[object] = queue.Queue()
        done = object()
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["answer"] = self.ask(question, history, on_token=pieces.put)
            except BaseException as error:  # re-raised in the caller's thread below
                outcome["error"] = error
            finally:
                pieces.put(done)

        worker = threading.Thread(target=work, name="rag-ask", daemon=True)
        worker.start()
        while (item := pieces.get()) is not done:
            yield str(item)
        worker.join()
        if "error" in outcome:
            raise outcome["error"]
        yield outcome["answer"]

    def ask(
        self,
        question: str,
        history: tuple[Turn, ...] = (),
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer one question with verified citations, or decline when the documents don't say.

        ``on_token`` receives an LLM's draft as it is written; the returned answer is the
        verified version, which may differ (unsupported sentences flagged, or replaced).
        """
        started = time.perf_counter()
        question = clean_question(question, self.settings.max_question_chars)
        language = detect_question_language(question)
        standalone = self.standalone(question, history, language)
        # A writer may commit mid-question: every step below reads this one snapshot.
        snapshot = self.snapshot()
        passages, evidence, timings = self.evidence(standalone, snapshot)
        score = 0.0
        if evidence:
            best = evidence[0]
            document = snapshot.documents[passages[best.passage_number - 1].chunk.doc_id]
            score = confidence(features(standalone, evidence, document.language, document.text))
        threshold = self.settings.answer_threshold
        answerable = bool(evidence) and score >= (THRESHOLD if threshold is None else threshold)

        generated = time.perf_counter()
        citations: list[Citation] = []
        sentences: tuple[AnswerSentence, ...] = ()
        warnings: list[str] = []
        generator_name = "extractive"
        if answerable:
            request = GenerationRequest(
                standalone, language, tuple(passages), tuple(evidence), history
            )
            drafted = self.drafter.draft(request, snapshot, on_token, warnings)
            text, citations, sentences = drafted.text, drafted.citations, drafted.sentences
            generator_name = drafted.generator
            timings.update(drafted.timings)
            answerable = bool(citations)
        if not answerable:
            text = DECLINE[language]
            sentences = ()
        finished = time.perf_counter()
        timings["generate"] = (finished - generated) * 1000
        timings["total"] = (finished - started) * 1000
        return Answer(
            question=question,
            text=text,
            answerable=answerable,
            citations=tuple(citations),
            passages=tuple(passages),
            generator=str(generator_name),
            timings_ms=timings,
            confidence=score,
            language=language,
            sentences=sentences,
            standalone_question=standalone if standalone != question else None,
            warnings=tuple(warnings),
        )

    # -- lookup and briefings ----------------------------------------------------------------

    def finder(self) -> Finder:
        """One finder per snapshot, so normalised texts and sentence vectors are reused."""
        snapshot = self.snapshot()
        if self._finder is None or self._finder[0] is not snapshot:
            documents = sorted(snapshot.documents.values(), key=lambda d: d.source)
            self._finder = (snapshot, Finder(documents, self.embedder, self.sentence_store))
        return self._finder[1]

    def find(self, query: str, limit: int = 5) -> FindResult:
        """Where the documents say this text: verbatim, nearly, or in meaning (any language)."""
        return self.finder().find(clean_question(query, self.settings.max_question_chars), limit)

    def brief(
        self,
        bullets: int = 7,
        source: str | None = None,
        language: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Briefing:
        """A cited briefing on every document, or on ``source`` only."""
        from rag.brief.abstractive import abstractive_bullets
        from rag.brief.cache import BriefCache
        from rag.brief.summarise import extractive_bullets
        from rag.brief.support import cited_support

        if bullets < 1:
            raise QuestionError("a briefing needs at least one bullet")
        snapshot = self.snapshot()
        documents = sorted(snapshot.documents.values(), key=lambda d: d.source)
        if source is not None:
            documents = [d for d in documents if d.source == source]
            if not documents:
                known = ", ".join(sorted(snapshot.records)[:10])
                raise QuestionError(f"no indexed document '{source}' (indexed: {known})")
        languages = [d.language for d in documents if d.language in ("en", "fr")]
        language = language or max(set(languages), key=languages.count, default="en")
        cache = BriefCache(self.layout.root / "briefs")
        extractive = extractive_bullets(documents, self.sentence_store, cache, bullets, progress)
        warnings: list[str] = []
        name = resolve_name(self.settings)
        if name == "extractive":
            if any(d.language != language for d in documents):
                warnings.append(
                    f"an extractive briefing quotes the documents in their own language; "
                    f"set RAG_GENERATOR to an LLM for a briefing written in '{language}'"
                )
            chosen = extractive
        else:
            by_source = {d.source: d for d in documents}
            supports = cited_support(self.finder())
            candidates = extractive_bullets(
                documents, self.sentence_store, cache, 2 * bullets, None
            )
            chosen = abstractive_bullets(
                self.generator, by_source, candidates, bullets, language, supports
            )
        for bullet in chosen:
            verify(snapshot, list(bullet.citations))
        return Briefing(
            bullets=tuple(chosen),
            sources=tuple(
                {"source": d.source, "title": d.title, "language": d.language} for d in documents
            ),
            generator=name,
            language=language,
            warnings=tuple(warnings),
        )
