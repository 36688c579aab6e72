"""``rag eval --dataset feedback``: the answers users rated, asked again through the current
pipeline, and what changed (answer text, citations, refusal): the users' own regression set."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from rag.generation.base import Turn
from rag.history import ChatStore, StoredAnswer
from rag.history.codec import follow_up_turns
from rag.pipeline import Assistant
from rag.settings import Settings

VERDICTS = {1: "liked", -1: "disliked"}


@dataclass(frozen=True)
class Replay:
    message: int
    chat: str
    question: str
    feedback: str  # liked / disliked
    comment: str
    before: dict[str, Any]
    after: dict[str, Any]
    answer_changed: bool
    citations_changed: bool
    refusal_changed: bool

    @property
    def changed(self) -> bool:
        return self.answer_changed or self.citations_changed or self.refusal_changed


def _gist(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "answer": answer["answer"],
        "answerable": answer["answerable"],
        "citations": [
            {"source": c["source"], "start": c["start"], "end": c["end"]}
            for c in answer.get("citations", [])
        ],
    }


def replay(store: ChatStore, assistant: Assistant, collection: str | None) -> list[Replay]:
    replays = []
    for rated in store.rated(collection):
        earlier = [a for a in store.answers(rated.conversation_id, None) if a.id < rated.id]
        history = tuple(Turn(q, a) for q, a in follow_up_turns(earlier))
        now = assistant.ask(rated.question, history).to_json()
        replays.append(_compare(rated, now))
    return replays


def _compare(rated: StoredAnswer, now: dict[str, Any]) -> Replay:
    before, after = _gist(rated.answer), _gist(now)
    return Replay(
        message=rated.id,
        chat=rated.conversation_id,
        question=rated.question,
        feedback=VERDICTS.get(rated.feedback or 0, "?"),
        comment=rated.comment,
        before=before,
        after=after,
        answer_changed=before["answer"] != after["answer"],
        citations_changed=before["citations"] != after["citations"],
        refusal_changed=before["answerable"] != after["answerable"],
    )


def to_json(replays: list[Replay]) -> str:
    return json.dumps(
        {"summary": summary(replays), "replays": [asdict(r) for r in replays]},
        ensure_ascii=False,
    )


def summary(replays: list[Replay]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for verdict in VERDICTS.values():
        mine = [r for r in replays if r.feedback == verdict]
        counts[verdict] = len(mine)
        counts[f"{verdict}_changed"] = sum(r.changed for r in mine)
    return counts


def _what(replay: Replay) -> str:
    if not replay.changed:
        return "unchanged"
    parts = []
    if replay.refusal_changed:
        parts.append("now answered" if replay.after["answerable"] else "now refused")
    if replay.citations_changed:
        parts.append("citations changed")
    if replay.answer_changed:
        parts.append("answer text changed")
    return ", ".join(parts)


def render(replays: list[Replay]) -> str:
    if not replays:
        return "No rated answers yet: rate answers with 👍/👎 in the web app first."
    lines = []
    for r in replays:
        mark = "👍" if r.feedback == "liked" else "👎"
        lines.append(f"{mark} [{r.message}] {r.question} — {_what(r)}")
        if r.comment:
            lines.append(f"    comment: {r.comment}")
        if r.answer_changed:
            lines.append(f"    before: {r.before['answer'][:200]}")
            lines.append(f"    now:    {r.after['answer'][:200]}")
    counts = summary(replays)
    lines.append(
        f"\n{counts['liked']} liked ({counts['liked_changed']} changed), "
        f"{counts['disliked']} disliked ({counts['disliked_changed']} changed)."
    )
    return "\n".join(lines)


def run_feedback(settings: Settings, as_json: bool, collection: str | None) -> str:
    from rag.cli.common import UserError, open_assistant
    from rag.history import HistoryUnavailable, default_history_path

    try:
        store = ChatStore(default_history_path(settings))
        replays = replay(store, open_assistant(settings), collection)
    except HistoryUnavailable as error:
        raise UserError(str(error)) from error
    return to_json(replays) if as_json else render(replays)
