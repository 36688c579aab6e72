"""The chat's saving wrapper on the real seed index: what is saved, and a locked history file."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

from rag.history import ChatStore
from ui.history import ChatHistory
from ui.services import Services

QUESTION = "Qui est le PDG d'OpenAI cité dans l'article ?"


def run(history: ChatHistory, question: str, chat_id: str | None = None, user: str = "") -> tuple:  # type: ignore[type-arg]
    chat = history.chat()
    request = SimpleNamespace(username=user or None)
    return list(chat(question, [], [], chat_id, {}, None, request))[-1]


def test_the_final_answer_is_saved_with_its_position(seed_assistant, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = ChatStore(tmp_path / "h.sqlite3")
    history = ChatHistory(Services(seed_assistant), store)
    _, turns, _, chat_id, ids, *_ = run(history, QUESTION, user="alice")
    saved = store.answers(chat_id, "alice")
    assert [a.question for a in saved] == [QUESTION]
    assert ids == {"1": saved[0].id}  # the assistant message's position in the chat
    assert "Sam Altman" in saved[0].answer["answer"] and turns
    assert store.conversations("bob") == []


def test_a_locked_history_file_still_answers_and_says_history_is_off(
    seed_assistant, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "h.sqlite3"
    history = ChatHistory(Services(seed_assistant), ChatStore(path, timeout_s=0.2))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        messages, *_, note = run(history, QUESTION)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "Sam Altman" in messages[-1]["content"]
    assert "locked by another program; history is off" in note
    assert "history is off" in (history.warning() or "")
