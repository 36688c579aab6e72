"""A conversation as Markdown with its evidence, or as the JSON of ``rag ask --json``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from rag.history.store import Conversation, StoredAnswer
from rag.locate import where_label

FORMATS = ("md", "json")


def _time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _fence(text: str) -> str:
    """A blockquote of the verbatim quote: every line prefixed, nothing else touched."""
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


def answer_markdown(stored: StoredAnswer, changed: frozenset[str] = frozenset()) -> str:
    answer = stored.answer
    lines = [f"## {stored.question}", "", answer["answer"], ""]
    if not answer["answerable"]:
        lines[2] = f"*Not in the documents.* {answer['answer']}"
    for warning in answer.get("warnings", []):
        lines += [f"*Warning: {warning}*", ""]
    for sentence in answer.get("sentences", []):
        if not sentence["supported"]:
            lines += [f"*Not supported by its citation: {sentence['text']}*", ""]
    for citation in answer.get("citations", []):
        source = citation["source"]
        where = where_label(
            citation.get("page"),
            citation.get("page_end"),
            citation.get("section"),
            citation.get("locator"),
            citation.get("ocr"),
        )
        content_hash = stored.document_hashes.get(source, "unknown")
        lines.append(
            f"**[{citation['n']}]** `{source}`"
            + (f", {where}" if where else "")
            + f", characters {citation['start']}–{citation['end']}, content hash `{content_hash}`"
            + (" — *document changed since*" if source in changed else "")
        )
        lines += ["", _fence(citation["quote"]), ""]
    timing = answer.get("timings_ms", {}).get("total")
    meta = f"Generator: {answer.get('generator', '')}"
    meta += f", model {stored.model}" if stored.model else ""
    meta += f" · {timing / 1000:.1f} s" if timing else ""
    lines += [f"*{meta} · {_time(stored.created)}*", ""]
    if stored.feedback is not None:
        verdict = "liked" if stored.feedback > 0 else "disliked"
        lines += [f"*Feedback: {verdict}{': ' + stored.comment if stored.comment else ''}*", ""]
    return "\n".join(lines)


def conversation_markdown(
    conversation: Conversation, answers: list[StoredAnswer], changed: frozenset[str] = frozenset()
) -> str:
    head = [
        f"# {conversation.title}",
        "",
        f"Conversation `{conversation.id}` · collection {conversation.collection} · "
        f"started {_time(conversation.created)} · {len(answers)} answer(s)",
        "",
    ]
    return "\n".join([*head, *(answer_markdown(a, changed) for a in answers)])


def conversation_json(answers: list[StoredAnswer]) -> list[dict[str, Any]]:
    """One ``rag ask --json`` object per answer, exactly as it was stored."""
    return [a.answer for a in answers]


def pick(answers: list[StoredAnswer], position: int) -> list[StoredAnswer]:
    """The ``position``-th answer (1-based) alone, or all of them for 0."""
    if position == 0:
        return answers
    if not 1 <= position <= len(answers):
        raise ValueError(f"no answer {position}: the conversation has {len(answers)}")
    return [answers[position - 1]]


def export(
    conversation: Conversation,
    answers: list[StoredAnswer],
    fmt: str,
    changed: frozenset[str] = frozenset(),
) -> str:
    if fmt == "md":
        return conversation_markdown(conversation, answers, changed)
    if fmt == "json":
        return json.dumps(conversation_json(answers), ensure_ascii=False, indent=2)
    raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")
