"""Saved conversations in the page: save each final answer, list, reopen, rename, delete, export,
rate; and the same through named API endpoints, each user seeing only their own."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from rag.history import ChatStore, Conversation, HistoryUnavailable, StoredAnswer
from rag.history.codec import answer_from_json, changed_sources, cited_hashes, model_label
from rag.history.export import FORMATS, export, pick
from rag.types import Answer
from ui import panels
from ui.chat import Messages, Turns, chat_handler
from ui.render import answer_html
from ui.services import Services

Ids = dict[str, int]  # chat message position (as a string: gr.State JSON) -> stored answer id
RATINGS = {True: 1, False: -1}
FEEDBACK_LABELS = {1: "Like", -1: "Dislike"}
OFF = "history is off"


def user_of(request: gr.Request | None) -> str:
    """The login (RAG_AUTH) that owns what is saved; "" when login is off."""
    return (getattr(request, "username", None) or "") if request is not None else ""


def _slug(title: str) -> str:
    return re.sub(r"[^\w-]+", "-", title).strip("-")[:50] or "conversation"


class ChatHistory:
    """What the page and the API ask of the store; None store: history is off, said once."""

    def __init__(
        self,
        services: Services,
        store: ChatStore | None,
        problem: str | None = None,
    ) -> None:
        self.services = services
        self.store = store
        self.problem = problem  # why history is off, for the status line
        # One folder a process, one file per conversation and format, rewritten after each
        # answer (Gradio serves a copy from its cache): no new files per answer.
        self._exports = tempfile.TemporaryDirectory(prefix="rag-exports-")

    @property
    def collection(self) -> str:
        # The open one: the Documents tab swaps the assistant when the user switches.
        return self.services.assistant.settings.collection

    @property
    def enabled(self) -> bool:
        return self.store is not None

    def warning(self) -> str | None:
        return self.problem

    def require_store(self) -> ChatStore:
        if self.store is None:
            raise HistoryUnavailable(self.problem or OFF)
        return self.store

    def _failed(self, error: HistoryUnavailable) -> str:
        self.problem = str(error)
        return panels.notice_html(str(error), "error")

    # -- reading ---------------------------------------------------------------------------

    def owned(self, chat_id: str, user: str) -> tuple[Conversation, list[StoredAnswer]]:
        conversation = self.require_store().get(chat_id, user)
        if conversation is None:
            # The same words whether it does not exist or belongs to someone else.
            raise LookupError(f"no saved conversation '{chat_id}'")
        return conversation, self.require_store().answers(chat_id, user)

    def changed_by_answer(self, answers: list[StoredAnswer]) -> dict[int, frozenset[str]]:
        snapshot = self.services.assistant.snapshot()
        return {a.id: changed_sources(a.document_hashes, snapshot) for a in answers}

    def choices(self, user: str) -> list[tuple[str, str]]:
        conversations = self.require_store().conversations(user, self.collection)
        return [(c.title, c.id) for c in conversations]

    def export_text(self, chat_id: str, user: str, fmt: str, answer: int = 0) -> str:
        """The conversation (or only its ``answer``-th answer, 1-based) as ``fmt``."""
        conversation, answers = self.owned(chat_id, user)
        answers = pick(answers, answer)
        changed = frozenset().union(*self.changed_by_answer(answers).values())
        return export(conversation, answers, fmt, changed)

    def _export_files(self, chat_id: str, user: str) -> tuple[Any, Any]:
        conversation = self.require_store().get(chat_id, user)
        if conversation is None:
            return gr.update(visible=False), gr.update(visible=False)
        folder = Path(self._exports.name) / conversation.id
        folder.mkdir(exist_ok=True)
        paths = []
        for fmt in FORMATS:
            path = folder / f"{_slug(conversation.title)}.{fmt}"
            path.write_text(self.export_text(chat_id, user, fmt), encoding="utf-8")
            paths.append(gr.update(value=str(path), visible=True))
        return paths[0], paths[1]

    # -- page handlers -----------------------------------------------------------------------

    def chat(self) -> Callable[..., Iterator[tuple[Any, ...]]]:
        """The chat handler, saving each final answer in the conversation it belongs to.

        The save happens before the final answer is shown, in the same update: the event is
        over when the answer appears, so a question asked right after it is not refused as a
        second submission while the first still runs."""

        def chat(
            message: str,
            history: Messages,
            turns: Turns,
            chat_id: str | None,
            ids: Ids | None,
            sources: list[str] | None,
            request: gr.Request,
        ) -> Iterator[tuple[Any, ...]]:
            ids = dict(ids or {})
            user = user_of(request)
            saved: list[tuple[Any, ...]] = []

            def on_answer(question: str, answer: Answer) -> None:
                saved.append(self._saved(chat_id, user, question, answer))

            skip = tuple(gr.skip() for _ in range(5))
            for update in chat_handler(self.services, on_answer)(message, history, turns, sources):
                if not saved:
                    yield (*update, chat_id, ids, *skip)
                    continue
                new_id, stored_id, *views = saved.pop()
                if stored_id is not None:
                    ids[str(len(update[0]) - 1)] = stored_id
                yield (*update, new_id, ids, *views)

        return chat

    def _saved(
        self, chat_id: str | None, user: str, question: str, answer: Answer
    ) -> tuple[Any, ...]:
        """(chat id, stored answer id, list, title, downloads, note) once the answer is saved."""
        if self.store is None:
            return chat_id, None, *(gr.skip() for _ in range(5))
        try:
            new_id, stored = self.save(chat_id, user, question, answer)
        except HistoryUnavailable as error:
            return chat_id, None, *(gr.skip() for _ in range(4)), self._failed(error)
        self.problem = None  # a file locked for a moment is usable again
        md, js = self._export_files(new_id, user)
        chats = gr.update(choices=self.choices(user), value=new_id)
        conversation = self.store.get(new_id, user)
        title = conversation.title if conversation and new_id != chat_id else gr.skip()
        return new_id, stored.id, chats, title, md, js, ""

    def save(
        self, chat_id: str | None, user: str, question: str, answer: Answer
    ) -> tuple[str, StoredAnswer]:
        """Add the answer to the user's conversation, or to a new one titled by the question."""
        store = self.require_store()
        if not chat_id or store.get(chat_id, user) is None:
            chat_id = store.create(user, self.collection, question).id
        hashes = cited_hashes(answer, self.services.assistant.snapshot())
        model = model_label(self.services.assistant.settings, answer.generator)
        return chat_id, store.add_answer(chat_id, question, answer.to_json(), hashes, model)

    def open(self, chat_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        """Chat, turns, id, message ids, downloads, note: the conversation as it was shown."""
        user = user_of(request)
        if not chat_id:
            return self.new_chat()
        try:
            conversation, answers = self.owned(chat_id, user)
        except LookupError as error:
            return (*self.new_chat()[:-1], panels.notice_html(str(error), "error"))
        except HistoryUnavailable as error:
            return (*self.new_chat()[:-1], self._failed(error))
        changed = self.changed_by_answer(answers)
        messages: Messages = []
        turns: Turns = []
        ids: Ids = {}
        feedback: list[str | None] = []
        for stored in answers:
            answer = answer_from_json(stored.answer, stored.document_hashes)
            messages.append({"role": "user", "content": stored.question})
            ids[str(len(messages))] = stored.id
            messages.append(
                {"role": "assistant", "content": answer_html(answer, changed[stored.id])}
            )
            feedback.append(FEEDBACK_LABELS.get(stored.feedback or 0))
            if answer.answerable:
                turns.append((stored.question, answer.text))
        stale = sorted(set().union(*changed.values()))
        note = (
            panels.notice_html(
                f"Changed or deleted since: {', '.join(stale)}; its citations are not linked."
            )
            if stale
            else ""
        )
        md, js = self._export_files(conversation.id, user)
        chatbot = gr.update(value=messages, feedback_value=feedback)
        return chatbot, turns, conversation.id, ids, conversation.title, md, js, note

    def new_chat(self) -> tuple[Any, ...]:
        hidden = gr.update(visible=False)
        return [], [], None, {}, "", hidden, hidden, ""

    def listing(self, request: gr.Request) -> tuple[Any, str]:
        """The user's conversations, newest first, for the sidebar (at page load)."""
        if self.store is None:
            return gr.update(choices=[]), panels.notice_html(self.problem or OFF, "error")
        try:
            return gr.update(choices=self.choices(user_of(request)), value=None), ""
        except HistoryUnavailable as error:
            return gr.update(choices=[]), self._failed(error)

    def rename(self, chat_id: str | None, title: str, request: gr.Request) -> tuple[Any, str]:
        user = user_of(request)
        if not chat_id:
            return gr.skip(), panels.notice_html("Open a saved conversation to rename it first.")
        try:
            if not self.require_store().rename(chat_id, user, title):
                return gr.skip(), panels.notice_html("A title needs some text.", "error")
            return gr.update(choices=self.choices(user), value=chat_id), ""
        except HistoryUnavailable as error:
            return gr.skip(), self._failed(error)

    def delete(self, chat_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        user = user_of(request)
        if not chat_id:  # nothing open, or the confirmation was cancelled: nothing changes
            return tuple(gr.skip() for _ in range(1 + len(self.new_chat())))
        try:
            self.require_store().delete(chat_id, user)
            listing = gr.update(choices=self.choices(user), value=None)
        except HistoryUnavailable as error:
            return (gr.skip(), *self.new_chat()[:-1], self._failed(error))
        return (listing, *self.new_chat())

    def rate(self, ids: Ids | None, data: gr.LikeData, request: gr.Request) -> tuple[Any, str]:
        """A 👍/👎 on an answer: stored at once; the comment box then edits its comment."""
        index = data.index if isinstance(data.index, int) else data.index[0]
        message_id = (ids or {}).get(str(index))
        if message_id is None:
            return None, panels.notice_html("Only saved answers can be rated.", "error")
        rating = RATINGS.get(data.liked) if isinstance(data.liked, bool) else None
        try:
            self.require_store().set_feedback(message_id, user_of(request), rating)
        except HistoryUnavailable as error:
            return None, self._failed(error)
        if rating is None:
            return None, panels.notice_html("Rating removed.")
        return [message_id, rating], panels.notice_html(
            "Thanks: rating saved. Add a comment below if you like.", "ok"
        )

    def comment(self, rated: list[int] | None, text: str, request: gr.Request) -> tuple[str, str]:
        if not rated:
            return text, panels.notice_html("Rate an answer with 👍 or 👎 first.")
        try:
            self.require_store().set_feedback(rated[0], user_of(request), rated[1], text or "")
        except HistoryUnavailable as error:
            return text, self._failed(error)
        return "", panels.notice_html("Comment saved with the rating.", "ok")
