"""Saved conversations: a small SQLite store, its typed records, export and replay of feedback."""

from rag.history.store import (
    ChatStore,
    Conversation,
    HistoryUnavailable,
    StoredAnswer,
    default_history_path,
    open_store,
)

__all__ = [
    "ChatStore",
    "Conversation",
    "HistoryUnavailable",
    "StoredAnswer",
    "default_history_path",
    "open_store",
]
