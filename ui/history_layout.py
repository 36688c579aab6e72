"""The saved-conversation components (a sidebar, the feedback comment row) and their wiring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from ui.history import ChatHistory
from ui.history_api import HistoryApi

# On a phone the open sidebar would cover the whole page: it starts closed there.
CLOSE_ON_PHONE = (
    "() => { if (window.innerWidth < 768) "
    "document.querySelector('#rag-history.open .toggle-button')?.click(); }"
)
CONFIRM_DELETE = "(id) => (id && window.confirm('Delete this saved conversation?')) ? id : null"


@dataclass
class HistoryViews:
    chats: gr.Radio
    title: gr.Textbox
    rename: gr.Button
    delete: gr.Button
    markdown: gr.DownloadButton
    json: gr.DownloadButton
    note: gr.HTML
    chat_id: gr.State
    ids: gr.State
    rated: gr.State

    @property
    def after_answer(self) -> list[Any]:
        """What the chat handler updates besides the chat: ids, list, title, downloads, note."""
        return [self.chat_id, self.ids, self.chats, self.title, self.markdown, self.json, self.note]

    @property
    def opened(self) -> list[Any]:
        """What opening a conversation (or a new chat) sets besides the chat and its turns."""
        return [self.chat_id, self.ids, self.title, self.markdown, self.json, self.note]


def history_sidebar(history: ChatHistory) -> HistoryViews:
    """The conversation list and its actions; built at the top level of the Blocks."""
    with gr.Sidebar(open=True, elem_id="rag-history", width=280):
        gr.HTML("<h2 class='rag-viewer-label'>Saved conversations</h2>")
        chats = gr.Radio(
            [], label="Newest first", elem_id="rag-chats", interactive=True, show_label=True
        )
        note = gr.HTML(elem_id="rag-history-note")
        title = gr.Textbox(label="Title", max_lines=1, elem_id="rag-chat-title")
        with gr.Row():
            rename = gr.Button("Rename", size="sm", elem_id="rag-chat-rename")
            delete = gr.Button("Delete", size="sm", variant="stop", elem_id="rag-chat-delete")
        with gr.Row():
            markdown = gr.DownloadButton(
                "Export Markdown", size="sm", visible=False, elem_id="rag-export-md"
            )
            json = gr.DownloadButton(
                "Export JSON", size="sm", visible=False, elem_id="rag-export-json"
            )
    return HistoryViews(
        chats,
        title,
        rename,
        delete,
        markdown,
        json,
        note,
        gr.State(None),
        gr.State({}),
        gr.State(None),
    )


def feedback_row() -> tuple[gr.Textbox, gr.Button]:
    """Under the chat: a comment for the answer last rated with 👍/👎."""
    with gr.Row(elem_id="rag-feedback-row"):
        comment = gr.Textbox(
            placeholder="Comment on the answer you rated (optional)",
            show_label=False,
            max_lines=2,
            scale=5,
            elem_id="rag-feedback-comment",
        )
        save = gr.Button("Save comment", size="sm", scale=1, min_width=90)
    return comment, save


def wire_history(
    app: gr.Blocks,
    history: ChatHistory,
    views: HistoryViews,
    chatbot: gr.Chatbot,
    turns: gr.State,
    feedback: tuple[gr.Textbox, gr.Button],
    new_chat: gr.Button,
    ui_only: dict[str, Any],
) -> None:
    def private(name: str) -> dict[str, Any]:
        # Named, so that an event never takes the name of a public endpoint (/delete).
        return {**ui_only, "api_name": f"history_{name}"}

    opened = [chatbot, turns, *views.opened]
    views.chats.input(history.open, views.chats, opened, **private("open"))
    renamed = [views.chats, views.note]
    views.rename.click(history.rename, [views.chat_id, views.title], renamed, **private("rename"))
    views.title.submit(history.rename, [views.chat_id, views.title], renamed, **private("title"))
    views.delete.click(
        history.delete,
        views.chat_id,
        [views.chats, *opened],
        js=CONFIRM_DELETE,
        **private("delete"),
    )
    # The chat's own clear button starts a new conversation too, not more of the cleared one.
    for trigger, name in ((new_chat.click, "new"), (chatbot.clear, "clear")):
        trigger(history.new_chat, None, opened, **private(name))
        # Unselected, so that clicking the same conversation again reopens it.
        trigger(lambda: gr.update(value=None), None, views.chats, **private(f"{name}_list"))
    if history.enabled:  # without feedback buttons (history off), a like listener breaks the chat
        chatbot.like(history.rate, views.ids, [views.rated, views.note], **private("rate"))
    comment, save = feedback
    commented = [views.rated, comment]
    save.click(history.comment, commented, [comment, views.note], **private("comment"))
    comment.submit(history.comment, commented, [comment, views.note], **private("comment_enter"))
    app.load(history.listing, None, [views.chats, views.note], **private("listing"))
    app.load(None, None, None, js=CLOSE_ON_PHONE, **private("phone"))

    api = HistoryApi(history)
    gr.api(api.chats, api_name="chats")
    gr.api(api.chat, api_name="chat_open")
    gr.api(api.chat_ask, api_name="chat_ask", concurrency_id="ask")
    gr.api(api.feedback, api_name="feedback")
    gr.api(api.export_chat, api_name="export_chat")
