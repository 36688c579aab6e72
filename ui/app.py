"""The Gradio Blocks app: layout, event wiring, named API endpoints and launch settings."""

from __future__ import annotations

import ipaddress
import os
import sys
from typing import Any

import gradio as gr

from rag.history import open_store
from rag.pipeline import Assistant
from rag.settings import Settings
from ui import collections_tab, handlers
from ui import scope as scope_ui
from ui.collections_tab import blocked_collections
from ui.examples import example_buttons
from ui.history import ChatHistory
from ui.history_layout import feedback_row, history_sidebar, wire_history
from ui.library import Library
from ui.services import Services
from ui.viewer import EMPTY, page_css, viewer_js
from ui.workspace import Workspace

ALL_DOCUMENTS = handlers.ALL_DOCUMENTS
ASK_LIMIT = 4  # questions answered at once; indexing runs beside them, one at a time


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``user:password`` pairs separated by commas; None when login is off."""
    if not value or not value.strip():
        return None
    pairs = []
    for item in value.split(","):
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            raise ValueError("RAG_AUTH must be 'user:password' pairs separated by commas")
        pairs.append((user, password))
    return pairs


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def access_warning(settings: Settings) -> str | None:
    if is_loopback(settings.host) or parse_auth(settings.auth):
        return None
    return (
        f"listening on {settings.host} without a login: anyone on the network can read the "
        "documents; set RAG_AUTH=user:password"
    )


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    services, library = Services(assistant), Library(assistant)
    workspace = Workspace(services, library)
    history = ChatHistory(services, *open_store(settings))
    h = handlers.Handlers(services, library, access_warning(settings), history.warning)
    types = ", ".join(library.allowed_types)
    upload_label = f"Add documents ({types}; up to {settings.upload_max_mb} MB each)"

    def show_source(data: list[Any]) -> str:
        # gr.HTML marks its server functions with an attribute, which bound methods refuse.
        return h.show_source(data)

    with gr.Blocks(title="Document chat", fill_width=True) as app:
        saved = history_sidebar(history)
        with gr.Row(elem_id="rag-top"):
            gr.HTML("<h1 class='rag-title'>Ask the documents</h1>", elem_id="rag-title")
            status = gr.HTML(elem_id="rag-status-line")
        with gr.Row(equal_height=False, elem_id="rag-main"):
            with gr.Column(scale=3, min_width=320), gr.Tabs(elem_id="rag-tabs"):
                with gr.Tab("Chat", id="chat", elem_id="rag-tab-chat"):
                    chatbot = gr.Chatbot(
                        elem_id="rag-chat",
                        label="Conversation",
                        show_label=False,
                        height="62vh",
                        render_markdown=False,
                        sanitize_html=True,
                        feedback_options=("Like", "Dislike") if history.enabled else None,
                        buttons=["copy"],
                        placeholder="Ask a question: answers quote the documents and cite "
                        "the exact passage.",
                    )
                    turns = gr.State([])
                    with gr.Row(elem_id="rag-ask-row"):
                        question = gr.Textbox(
                            placeholder="Ask in French or English…",
                            show_label=False,
                            autofocus=True,
                            scale=5,
                            max_lines=4,
                            elem_id="rag-question",
                        )
                        send = gr.Button("Ask", variant="primary", scale=1, min_width=70)
                        clear = gr.Button("New chat", scale=1, min_width=90)
                    feedback = feedback_row()
                    with gr.Row(elem_id="rag-scope-row"):
                        sources = scope_ui.filter_box()
                    with gr.Row(elem_classes="rag-examples", elem_id="rag-examples"):
                        examples = example_buttons()
                with gr.Tab("Find a quote", id="find", elem_id="rag-tab-find"):
                    find_text = gr.Textbox(
                        label="Text to find",
                        lines=3,
                        placeholder="Paste a sentence or phrase…",
                        elem_id="rag-find-text",
                    )
                    find_button = gr.Button("Find", variant="primary")
                    find_out = gr.HTML(h.find_intro(), elem_id="rag-find-out")
                with gr.Tab("Briefing", id="brief", elem_id="rag-tab-brief"):
                    with gr.Row():
                        scope = gr.Dropdown(
                            [ALL_DOCUMENTS], value=ALL_DOCUMENTS, label="Scope", scale=3
                        )
                        length = gr.Slider(3, 12, value=5, step=1, label="Bullets", scale=2)
                    brief_button = gr.Button("Write briefing", variant="primary")
                    brief_out = gr.HTML(h.brief_intro(), elem_id="rag-brief-out")
                with gr.Tab("Documents", id="documents", elem_id="rag-tab-documents"):
                    collection_row = collections_tab.collection_controls(workspace)
                    uploader = gr.File(
                        label=upload_label, file_count="multiple", elem_id="rag-upload"
                    )
                    upload_out = gr.HTML(elem_id="rag-upload-out")
                    docs = gr.HTML(elem_id="rag-docs")
                    with gr.Row():
                        doomed = gr.Dropdown([], label="Document to delete", scale=3)
                        delete = gr.Button("Delete", variant="stop", scale=1)
                        reindex = gr.Button("Re-index folder", scale=1)
            with gr.Column(scale=2, min_width=300, elem_id="rag-viewer-col"):
                gr.HTML("<h2 class='rag-viewer-label'>Source</h2>")
                gr.HTML(
                    EMPTY,
                    elem_id="rag-viewer",
                    js_on_load=viewer_js(),
                    server_functions=[show_source],
                    apply_default_css=False,
                )

        # Hidden pieces behind the upload API, which needs a file component to receive files.
        api_files = gr.File(file_count="multiple", visible=False)
        api_result = gr.JSON(visible=False)
        api_trigger = gr.Button(visible=False)

        library_views = [docs, scope, doomed, status, sources, *examples]
        chat = history.chat()
        ask_events: dict[str, Any] = {"concurrency_id": "ask", "concurrency_limit": ASK_LIMIT}
        ui_only: dict[str, Any] = {"api_visibility": "private"}
        for trigger in (question.submit, send.click):
            trigger(
                chat,
                [question, chatbot, turns, saved.chat_id, saved.ids, sources],
                [chatbot, turns, question, *saved.after_answer],
                **ask_events,
                **ui_only,
            )
        for button in examples:
            button.click(
                chat,
                [button, chatbot, turns, saved.chat_id, saved.ids, sources],
                [chatbot, turns, question, *saved.after_answer],
                **ask_events,
                **ui_only,
            )
        clear.click(lambda: "", None, question, **ui_only)
        wire_history(app, history, saved, chatbot, turns, feedback, clear, ui_only)
        find_button.click(h.find_page, find_text, find_out, **ask_events, **ui_only)
        find_text.submit(h.find_page, find_text, find_out, **ask_events, **ui_only)
        brief_button.click(h.brief_page, [scope, length], brief_out, **ask_events, **ui_only)

        index_events: dict[str, Any] = {
            "concurrency_id": "index",
            "concurrency_limit": 1,
            **ui_only,
        }
        uploader.upload(
            h.upload_page, uploader, [upload_out, uploader, *library_views], **index_events
        )
        delete.click(
            h.delete_page,
            doomed,
            [upload_out, *library_views],
            js=handlers.CONFIRM_DELETE,
            **index_events,
        )
        reindex.click(h.reindex_page, None, [upload_out, *library_views], **index_events)
        app.load(h.library_views, None, library_views, **ui_only)
        for changed in collections_tab.wire(
            collection_row,
            workspace,
            h.library_views,
            upload_out,
            library_views,
            [chatbot, turns],
            index_events,
        ):
            # Another collection: a new conversation there, and its saved ones in the sidebar.
            changed.then(history.new_chat, None, [chatbot, turns, *saved.opened], **ui_only)
            changed.then(history.listing, None, [saved.chats, saved.note], **ui_only)
        app.load(
            lambda: collections_tab.current_choice(workspace),
            None,
            collection_row.choice,
            **ui_only,
        )
        # Often enough that "loading model…" turns to ready soon after the model is loaded.
        gr.Timer(5).tick(h.status_line, None, status, **ui_only)

        gr.api(h.ask, api_name="ask", **ask_events)
        gr.api(h.find, api_name="find", **ask_events)
        gr.api(h.brief, api_name="brief", **ask_events)
        gr.api(h.documents, api_name="documents")
        gr.api(h.index, api_name="index", concurrency_id="index", concurrency_limit=1)
        gr.api(h.delete, api_name="delete", concurrency_id="index", concurrency_limit=1)
        api_trigger.click(
            h.upload,
            api_files,
            api_result,
            api_name="upload",
            concurrency_id="index",
            concurrency_limit=1,
        )
    return app


def launch_options(settings: Settings) -> dict[str, Any]:
    """What ``Blocks.launch`` gets besides the app: address, login, limits, page assets."""
    index_dir = os.fspath(settings.index_dir)
    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "auth": parse_auth(settings.auth),
        "max_file_size": f"{settings.upload_max_mb}mb",
        # The corpus and the index are read through the app only, never served as files.
        "blocked_paths": [
            os.fspath(settings.corpus_dir),
            index_dir,
            *blocked_collections(settings),
        ],
        "footer_links": ["api"],
        "css": page_css(),
        "show_error": True,
    }


def queued(app: gr.Blocks) -> gr.Blocks:
    return app.queue(default_concurrency_limit=ASK_LIMIT)


def launch(assistant: Assistant, settings: Settings) -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    warning = access_warning(settings)
    if warning:
        print(f"rag: warning: {warning}", file=sys.stderr)
    app = queued(build_app(assistant, settings))
    print(f"Serving on http://{settings.host}:{settings.port}", file=sys.stderr)
    app.launch(**launch_options(settings))
