"""A briefing as the user sees it: the quoted bullets at once, then, with an LLM, its rewrite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from rag.brief.abstractive import abstractive_bullets
from rag.brief.briefing import Briefing, Bullet
from rag.brief.cache import BriefCache
from rag.brief.summarise import extractive_bullets
from rag.brief.support import cited_support
from rag.citations import verify
from rag.drafting import Drafter, unexpected
from rag.find.finder import Finder
from rag.generation.base import GenerationError
from rag.locate import locate_citations
from rag.question import QuestionError
from rag.store.sentence_vectors import DocumentSentenceVectors
from rag.store.snapshot import IndexSnapshot


def brief_stream(
    snapshot: IndexSnapshot,
    sentence_store: DocumentSentenceVectors,
    drafter: Drafter,
    finder: Callable[[], Finder],
    cache_dir: Path,
    bullets: int,
    source: str | None,
    language: str | None,
    progress: Callable[[int, int], None] | None,
) -> Iterator[Briefing]:
    """The extractive briefing at once; with an LLM, it is ``provisional`` and the final
    briefing (rewritten bullets that held up, extractive ones for the rest) follows. An
    LLM that fails or times out leaves the extractive briefing, with a warning."""
    if bullets < 1:
        raise QuestionError("a briefing needs at least one bullet")
    documents = sorted(snapshot.documents.values(), key=lambda d: d.source)
    if source is not None:
        documents = [d for d in documents if d.source == source]
        if not documents:
            known = ", ".join(sorted(snapshot.records)[:10])
            raise QuestionError(f"no indexed document '{source}' (indexed: {known})")
    languages = [d.language for d in documents if d.language in ("en", "fr")]
    language = language or max(set(languages), key=languages.count, default="en")
    cache = BriefCache(cache_dir)
    quoted = located(
        snapshot, extractive_bullets(documents, sentence_store, cache, bullets, progress)
    )
    warnings: list[str] = []
    if any(d.language != language for d in documents):
        warnings.append(
            f"an extractive briefing quotes the documents in their own language; "
            f"set RAG_GENERATOR to an LLM for a briefing written in '{language}'"
        )
    sources = tuple(
        {"source": d.source, "title": d.title, "language": d.language} for d in documents
    )
    extractive = Briefing(tuple(quoted), sources, "extractive", language, tuple(warnings))
    if not drafter.uses_llm:
        yield extractive
        return
    yield replace(extractive, provisional=True)
    try:
        generator = drafter.generator
        by_source = {d.source: d for d in documents}
        # Twice the bullets to choose from (cheap: each document's picks are cached).
        candidates = extractive_bullets(documents, sentence_store, cache, 2 * bullets, None)
        supports = cited_support(finder())
        chosen = located(
            snapshot,
            abstractive_bullets(generator, by_source, candidates, bullets, language, supports),
        )
    except Exception as error:  # whatever the LLM did, the quoted briefing stands
        reason = (
            error if isinstance(error, GenerationError) else unexpected(error, "the LLM briefing")
        )
        note = f"{reason}; kept the briefing quoted from the documents"
        yield replace(extractive, warnings=(*extractive.warnings, note), extractive=extractive)
        return
    yield Briefing(tuple(chosen), sources, generator.name, language, extractive=extractive)


def located(snapshot: IndexSnapshot, bullets: list[Bullet]) -> list[Bullet]:
    """Briefing bullets with every citation checked verbatim, then given its page and section."""
    out = []
    for bullet in bullets:
        verify(snapshot, list(bullet.citations))
        citations = locate_citations(bullet.citations, snapshot.document_by_source)
        out.append(replace(bullet, citations=tuple(citations)))
    return out
