"""Conversations and their answers in one SQLite file (WAL); sqlite3 never leaves this module."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.history.schema import migrate
from rag.settings import DEFAULT_COLLECTION, Settings

TITLE_CHARS = 120


class HistoryUnavailable(Exception):
    """The history file cannot be read or written: one line for the user, history is off."""


@dataclass(frozen=True)
class Conversation:
    id: str
    user: str  # the login that owns it; "" without RAG_AUTH
    collection: str
    title: str
    created: float  # seconds since the epoch
    updated: float
    answers: int = 0


@dataclass(frozen=True)
class StoredAnswer:
    """One question and its final answer, as ``Answer.to_json()`` gave it when it was shown."""

    id: int
    conversation_id: str
    question: str
    answer: dict[str, Any]
    # The content hash of each cited document when the answer was given: a later reader can
    # tell a citation whose document has changed since from one that still points at its text.
    document_hashes: dict[str, str]
    feedback: int | None  # 1 liked, -1 disliked, None not rated
    comment: str
    created: float
    model: str = ""  # the LLM that wrote it ("" for the extractive generator)


# A conversation row as ``Conversation`` takes it, with its number of answers.
_CONVERSATIONS = (
    "SELECT c.id, c.user, c.collection, c.title, c.created, c.updated, "
    "(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) FROM conversations c"
)


def default_history_path(settings: Settings) -> Path:
    """``RAG_HISTORY_PATH``, else beside the index folder (in the data folder, not inside the
    index, which a rebuild may delete)."""
    if settings.history_path is not None:
        return settings.history_path
    # The default collection's data folder, whichever collection is open: one history for
    # all of them (each conversation names its collection).
    home = settings.with_collection(DEFAULT_COLLECTION)
    return home.index_dir.resolve().parent / "history.sqlite3"


def _title(question: str) -> str:
    title = " ".join(question.split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


class ChatStore:
    """Thread-safe by construction: each call opens its own connection (the Gradio queue runs
    handlers on several threads; SQLite's own locking serialises the writes)."""

    def __init__(self, path: Path, timeout_s: float = 2.0) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        with self._connect() as db:
            migrate(db)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise HistoryUnavailable(
                f"cannot open the history file {self.path}: {error}"
            ) from error
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except sqlite3.Error as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise HistoryUnavailable(_reason(self.path, error)) from error
        finally:
            db.close()

    # -- conversations ---------------------------------------------------------------------

    def create(self, user: str, collection: str, question: str) -> Conversation:
        now = time.time()
        conversation = Conversation(
            uuid.uuid4().hex[:12], user, collection, _title(question), now, now
        )
        with self._connect() as db:
            db.execute(
                "INSERT INTO conversations (id, user, collection, title, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (conversation.id, user, collection, conversation.title, now, now),
            )
        return conversation

    def conversations(
        self, user: str | None, collection: str | None = DEFAULT_COLLECTION
    ) -> list[Conversation]:
        """Newest first; ``user`` None: every user's (the CLI, run by whoever owns the file)."""
        where, params = _owner(user, collection)
        with self._connect() as db:
            rows = db.execute(
                f"{_CONVERSATIONS} WHERE {where} ORDER BY c.updated DESC, c.rowid DESC",
                params,
            ).fetchall()
        return [Conversation(*row) for row in rows]

    def get(self, conversation_id: str, user: str | None) -> Conversation | None:
        """The conversation if it exists and ``user`` owns it (None: any owner)."""
        where, params = _owner(user, None)
        with self._connect() as db:
            row = db.execute(
                f"{_CONVERSATIONS} WHERE c.id = ? AND {where}",
                (conversation_id, *params),
            ).fetchone()
        return Conversation(*row) if row else None

    def rename(self, conversation_id: str, user: str | None, title: str) -> bool:
        title = _title(title)
        if not title:
            return False
        where, params = _owner(user, None)
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE conversations SET title = ? WHERE id IN "
                f"(SELECT c.id FROM conversations c WHERE c.id = ? AND {where})",
                (title, conversation_id, *params),
            )
        return cursor.rowcount == 1

    def delete(self, conversation_id: str, user: str | None) -> bool:
        where, params = _owner(user, None)
        with self._connect() as db:
            cursor = db.execute(
                "DELETE FROM conversations WHERE id IN "
                f"(SELECT c.id FROM conversations c WHERE c.id = ? AND {where})",
                (conversation_id, *params),
            )
        return cursor.rowcount == 1

    def move_collection(self, old: str, new: str) -> int:
        """Every user's conversations of collection ``old`` now belong to ``new`` (a rename)."""
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE conversations SET collection = ? WHERE collection = ?", (new, old)
            )
        return cursor.rowcount

    # -- answers ---------------------------------------------------------------------------

    def add_answer(
        self,
        conversation_id: str,
        question: str,
        answer: dict[str, Any],
        document_hashes: dict[str, str],
        model: str = "",
    ) -> StoredAnswer:
        now = time.time()
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO messages (conversation_id, question, answer, document_hashes, "
                "created, model) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    question,
                    json.dumps(answer, ensure_ascii=False),
                    json.dumps(document_hashes),
                    now,
                    model,
                ),
            )
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation_id))
        message_id = cursor.lastrowid
        assert message_id is not None
        return StoredAnswer(
            message_id, conversation_id, question, answer, document_hashes, None, "", now, model
        )

    def answers(self, conversation_id: str, user: str | None) -> list[StoredAnswer]:
        """In the order they were given; empty when ``user`` does not own the conversation."""
        where, params = _owner(user, None)
        with self._connect() as db:
            rows = db.execute(
                f"{_ANSWERS} JOIN conversations c ON c.id = m.conversation_id "
                f"WHERE m.conversation_id = ? AND {where} ORDER BY m.id",
                (conversation_id, *params),
            ).fetchall()
        return [_stored(row) for row in rows]

    def rated(self, collection: str | None = DEFAULT_COLLECTION) -> list[StoredAnswer]:
        """Every liked or disliked answer, oldest first: the user's own regression set."""
        where, params = _owner(None, collection)
        with self._connect() as db:
            rows = db.execute(
                f"{_ANSWERS} JOIN conversations c ON c.id = m.conversation_id "
                f"WHERE m.feedback IS NOT NULL AND {where} ORDER BY m.id",
                params,
            ).fetchall()
        return [_stored(row) for row in rows]

    def set_feedback(
        self, message_id: int, user: str | None, feedback: int | None, comment: str = ""
    ) -> bool:
        """Rate an answer (1, -1, or None to clear) with an optional comment."""
        if feedback not in (1, -1, None):
            raise ValueError("feedback is 1 (liked), -1 (disliked) or None")
        where, params = _owner(user, None)
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE messages SET feedback = ?, comment = ? WHERE id = ? AND conversation_id "
                f"IN (SELECT c.id FROM conversations c WHERE {where})",
                (feedback, comment.strip(), message_id, *params),
            )
        return cursor.rowcount == 1


_ANSWERS = (
    "SELECT m.id, m.conversation_id, m.question, m.answer, m.document_hashes, m.feedback, "
    "m.comment, m.created, m.model FROM messages m"
)


def _stored(row: tuple[Any, ...]) -> StoredAnswer:
    message_id, conversation_id, question, answer, hashes, feedback, comment, created, model = row
    return StoredAnswer(
        message_id,
        conversation_id,
        question,
        json.loads(answer),
        json.loads(hashes),
        feedback,
        comment,
        created,
        model,
    )


def _owner(user: str | None, collection: str | None) -> tuple[str, tuple[str, ...]]:
    clauses, params = ["1"], []
    if user is not None:
        clauses.append("c.user = ?")
        params.append(user)
    if collection is not None:
        clauses.append("c.collection = ?")
        params.append(collection)
    return " AND ".join(clauses), tuple(params)


def _reason(path: Path, error: sqlite3.Error) -> str:
    message = str(error)
    if "locked" in message or "busy" in message:
        return f"the history file {path} is locked by another program; history is off"
    if "not a database" in message or "malformed" in message or "newer release" in message:
        return f"the history file {path} is unreadable ({message}); history is off"
    return f"the history file {path} cannot be used ({message}); history is off"


def open_store(settings: Settings) -> tuple[ChatStore | None, str | None]:
    """The store, or None and the one-line reason history is off (the app answers anyway)."""
    try:
        return ChatStore(default_history_path(settings)), None
    except HistoryUnavailable as error:
        return None, str(error)
