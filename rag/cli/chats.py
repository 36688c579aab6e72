"""``rag chats`` (list, export) and the saved conversation ``rag ask --chat ID`` continues."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from rag.cli.common import UserError, emit
from rag.history import ChatStore, HistoryUnavailable, default_history_path
from rag.history.codec import changed_sources, cited_hashes, follow_up_turns, model_label
from rag.history.export import FORMATS, export, pick
from rag.settings import Settings

NEW = "new"  # `rag ask --chat new` starts a saved conversation


def add_parser(commands: Any) -> None:
    chats = commands.add_parser(
        "chats",
        help="list saved conversations, or export one with its evidence",
        description="Conversations saved by the web app and by `rag ask --chat` (every user's: "
        "whoever runs the command owns the history file).",
    )
    chats.add_argument("--json", action="store_true", help="print the list as JSON")
    actions = chats.add_subparsers(dest="action", metavar="ACTION")
    exporting = actions.add_parser("export", help="print one conversation as Markdown or JSON")
    exporting.add_argument("chat_id", metavar="ID")
    exporting.add_argument("--format", choices=FORMATS, default="md", help="md (default) or json")
    exporting.add_argument(
        "--answer", type=int, default=0, metavar="N", help="only its N-th answer (1-based)"
    )
    chats.set_defaults(run=cmd_chats)


def add_chat_option(ask: argparse.ArgumentParser) -> None:
    ask.add_argument(
        "--chat",
        metavar="ID",
        default=None,
        help="continue the saved conversation ID (see `rag chats`; 'new' starts one): its "
        "answers are the follow-ups' history and the new answers are saved in it",
    )


def _store(settings: Settings) -> ChatStore:
    try:
        return ChatStore(default_history_path(settings))
    except HistoryUnavailable as error:
        raise UserError(str(error)) from error


def _time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M")


def cmd_chats(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    try:
        if args.action == "export":
            conversation = store.get(args.chat_id, None)
            if conversation is None:
                raise UserError(f"no saved conversation '{args.chat_id}' (see `rag chats`)")
            try:
                answers = pick(store.answers(conversation.id, None), args.answer)
            except ValueError as error:
                raise UserError(str(error)) from error
            changed = _changed(settings.with_collection(conversation.collection), answers)
            print(export(conversation, answers, args.format, changed))
            return 0
        rows = store.conversations(None, None)
    except HistoryUnavailable as error:
        raise UserError(str(error)) from error
    if args.json:
        emit(
            {
                "chats": [
                    {
                        "id": c.id,
                        "user": c.user,
                        "collection": c.collection,
                        "title": c.title,
                        "created": c.created,
                        "updated": c.updated,
                        "answers": c.answers,
                    }
                    for c in rows
                ]
            }
        )
        return 0
    if not rows:
        print(f"No saved conversations in {store.path}.")
    for c in rows:
        owner = f" ({c.user})" if c.user else ""
        print(
            f"{c.id}  {_time(c.updated)}  {c.answers:>3} answers  {c.collection}{owner}  {c.title}"
        )
    return 0


def _changed(settings: Settings, answers: list[Any]) -> frozenset[str]:
    """Documents changed since the answers; nothing marked when there is no index to compare."""
    from rag.pipeline import Assistant

    assistant = Assistant(settings)
    if not assistant.store.exists():
        return frozenset()
    snapshot = assistant.snapshot()
    return frozenset().union(*(changed_sources(a.document_hashes, snapshot) for a in answers))


class SavedChat:
    """The conversation ``rag ask --chat`` continues: its history in, each new answer out."""

    def __init__(self, settings: Settings, chat_id: str) -> None:
        self.settings = settings
        self.store = _store(settings)
        self.chat_id: str | None = None
        self.turns: list[tuple[str, str]] = []
        if chat_id != NEW:
            conversation = self.store.get(chat_id, None)
            if conversation is None:
                raise UserError(f"no saved conversation '{chat_id}' (see `rag chats`)")
            if conversation.collection != settings.collection:
                raise UserError(
                    f"conversation '{chat_id}' belongs to collection '{conversation.collection}':"
                    f" add --collection {conversation.collection}"
                )
            self.chat_id, self.user = conversation.id, conversation.user
            self.turns = follow_up_turns(self.store.answers(chat_id, None))
        else:
            self.user = ""

    def save(self, question: str, answer: Any, snapshot: Any) -> None:
        try:
            if self.chat_id is None:
                self.chat_id = self.store.create(self.user, self.settings.collection, question).id
                print(f"rag: saved as conversation {self.chat_id}", file=sys.stderr)
            hashes = cited_hashes(answer, snapshot)
            model = model_label(self.settings, answer.generator)
            self.store.add_answer(self.chat_id, question, answer.to_json(), hashes, model)
        except HistoryUnavailable as error:
            print(f"rag: warning: {error}", file=sys.stderr)
