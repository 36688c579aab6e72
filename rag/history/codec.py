"""A stored answer's JSON back to an ``Answer``, and the document versions its citations quote."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rag.history.store import StoredAnswer
from rag.types import (
    Answer,
    AnswerSentence,
    Chunk,
    Citation,
    Closest,
    Decline,
    Passage,
    document_id,
)

if TYPE_CHECKING:
    from rag.settings import Settings
    from rag.store.snapshot import IndexSnapshot


def cited_hashes(answer: Answer, snapshot: IndexSnapshot) -> dict[str, str]:
    """The content hash of each document the answer cites, as indexed when it was given."""
    hashes = {}
    for source in dict.fromkeys(c.source for c in answer.citations):
        document = snapshot.document_by_source(source)
        if document is not None:
            hashes[source] = document.content_hash
    return hashes


def model_label(settings: Settings, generator: str) -> str:
    """The model behind an answer's generator name, for an export to name ("" extractive)."""
    if generator.startswith("llamacpp"):
        return settings.gguf_path.name if settings.gguf_path else settings.bundled_model
    if generator.startswith("openai"):
        return settings.llm_model
    return ""


def changed_sources(document_hashes: dict[str, str], snapshot: IndexSnapshot) -> frozenset[str]:
    """Cited documents that were changed or deleted since: their offsets no longer hold."""
    changed = set()
    for source, content_hash in document_hashes.items():
        document = snapshot.document_by_source(source)
        if document is None or document.content_hash != content_hash:
            changed.add(source)
    return frozenset(changed)


def answer_from_json(data: dict[str, Any], document_hashes: dict[str, str] | None = None) -> Answer:
    """The inverse of ``Answer.to_json``, enough to render and export the answer again."""
    hashes = document_hashes or {}
    extractive = data.get("extractive")
    return Answer(
        question=data["question"],
        text=data["answer"],
        answerable=bool(data["answerable"]),
        citations=tuple(Citation(**c) for c in data.get("citations", [])),
        passages=tuple(_passage(p, hashes) for p in data.get("passages", [])),
        generator=data.get("generator", ""),
        timings_ms=dict(data.get("timings_ms", {})),
        confidence=float(data.get("confidence", 0.0)),
        language=data.get("language", "en"),
        sentences=tuple(
            AnswerSentence(
                s["text"], tuple(s["citations"]), bool(s["supported"]), s.get("verdict", "")
            )
            for s in data.get("sentences", [])
        ),
        standalone_question=data.get("standalone_question"),
        warnings=tuple(data.get("warnings", [])),
        extractive=answer_from_json(extractive, hashes) if extractive else None,
        provisional=bool(data.get("provisional", False)),
        not_an_answer=bool(data.get("not_an_answer", False)),
        decline=_decline(data["decline"]) if data.get("decline") else None,
    )


def _decline(data: dict[str, Any]) -> Decline:
    closest = tuple(Closest(**c) for c in data.get("closest", []))
    return Decline(**{**data, "missing": tuple(data.get("missing", [])), "closest": closest})


def _passage(data: dict[str, Any], hashes: dict[str, str]) -> Passage:
    source = data["source"]
    # The chunk's position is not in the JSON; nothing that renders or exports an answer uses it.
    doc_id = document_id(source, hashes.get(source, ""))
    chunk = Chunk(source, doc_id, 0, data["start"], data["end"], data["text"])
    return Passage(chunk, float(data.get("score", 0.0)))


def follow_up_turns(answers: list[StoredAnswer]) -> list[tuple[str, str]]:
    """(question, answer) of each answered question: the history a follow-up is rewritten with,
    as the chat keeps it (declines and errors are left out)."""
    return [(a.question, a.answer["answer"]) for a in answers if a.answer.get("answerable")]
