"""The saved-conversation API endpoints (gradio_client): the same store and owner rules as the
page; each returns plain JSON, and any failure is one line."""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag.generation.base import Turn
from rag.history import HistoryUnavailable
from rag.history.codec import follow_up_turns
from rag.history.export import FORMATS
from ui.handlers import _api_error
from ui.history import ChatHistory, user_of
from ui.services import HISTORY_TURNS

_ERRORS = (LookupError, HistoryUnavailable, ValueError)


def _conversation_json(conversation: Any) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "title": conversation.title,
        "collection": conversation.collection,
        "created": conversation.created,
        "updated": conversation.updated,
        "answers": conversation.answers,
    }


class HistoryApi:
    def __init__(self, history: ChatHistory) -> None:
        self.history = history

    def chats(self, request: gr.Request) -> dict[str, Any]:
        """Your saved conversations, newest first."""
        try:
            store = self.history.require_store()
            rows = store.conversations(user_of(request), self.history.collection)
        except _ERRORS as error:
            raise gr.Error(str(error)) from error
        return {"chats": [_conversation_json(c) for c in rows]}

    def chat(self, chat_id: str, request: gr.Request) -> dict[str, Any]:
        """One of your conversations: each answer as `rag ask --json` gives it, with its id,
        feedback and the cited documents changed since."""
        try:
            conversation, answers = self.history.owned(chat_id, user_of(request))
            changed = self.history.changed_by_answer(answers)
        except _ERRORS as error:
            raise gr.Error(str(error)) from error
        return {
            **_conversation_json(conversation),
            "messages": [
                {
                    "id": a.id,
                    "question": a.question,
                    "answer": a.answer,
                    "document_hashes": a.document_hashes,
                    "changed_since": sorted(changed[a.id]),
                    "feedback": a.feedback,
                    "comment": a.comment,
                }
                for a in answers
            ],
        }

    def chat_ask(
        self, question: str, chat_id: str = "", request: gr.Request | None = None
    ) -> dict[str, Any]:
        """Ask in a saved conversation (empty id: a new one) and save the answer."""
        user = user_of(request)
        try:
            turns = follow_up_turns(self.history.owned(chat_id, user)[1]) if chat_id else []
            history = tuple(Turn(q, a) for q, a in turns[-HISTORY_TURNS:])
            answer = self.history.services.assistant.ask(question, history)
            chat_id, stored = self.history.save(chat_id, user, question.strip(), answer)
        except _ERRORS as error:
            raise gr.Error(str(error)) from error
        except Exception as error:  # a failed answer: the same one line as /ask gives
            raise _api_error(error, "answering") from error
        return {"chat": chat_id, "message": stored.id, "answer": stored.answer}

    def feedback(
        self, message_id: int, rating: int, comment: str = "", request: gr.Request | None = None
    ) -> dict[str, Any]:
        """Rate one of your saved answers: 1 liked, -1 disliked, 0 clears; optional comment."""
        try:
            saved = self.history.require_store().set_feedback(
                int(message_id), user_of(request), int(rating) or None, comment or ""
            )
        except _ERRORS as error:
            raise gr.Error(str(error)) from error
        if not saved:
            raise gr.Error(f"no saved answer {message_id}")
        return {"message": int(message_id), "feedback": int(rating) or None, "comment": comment}

    def export_chat(
        self, chat_id: str, fmt: str = "md", answer: int = 0, request: gr.Request | None = None
    ) -> str:
        """One of your conversations (or only its `answer`-th answer, 1-based; 0: all) as
        Markdown with its evidence, or as JSON (`md`, `json`)."""
        if fmt not in FORMATS:
            raise gr.Error(f"unknown format '{fmt}': use {' or '.join(FORMATS)}")
        try:
            return self.history.export_text(chat_id, user_of(request), fmt, int(answer))
        except _ERRORS as error:
            raise gr.Error(str(error)) from error
