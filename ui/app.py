"""The Gradio Blocks app: a cited chat, with ``/ask`` as a named API endpoint."""

from __future__ import annotations

import os
import sys
from typing import Any

import gradio as gr

from rag.pipeline import Assistant, QuestionError
from rag.settings import Settings
from ui.render import answer_html

EXAMPLES = [
    "Qui est le PDG d'OpenAI cité dans l'article ?",
    "What did the US Commerce Department say about Huawei's Ascend AI chips?",
    "Quelle crainte plus profonde la décision de Washington souligne-t-elle ?",
    "Which company is given as an example of China's push for technological self-sufficiency?",
]


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    def ask(question: str) -> dict[str, Any]:
        """Answer a question over the indexed documents; the same JSON as `rag ask --json`."""
        try:
            return assistant.ask(question).to_json()
        except QuestionError as error:
            raise gr.Error(str(error)) from error

    def chat(message: str, history: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
        history = list(history or [])
        history.append({"role": "user", "content": message})
        try:
            reply = answer_html(assistant.ask(message))
        except QuestionError as error:
            reply = f'<div class="rag-error">{error}</div>'
        history.append({"role": "assistant", "content": reply})
        return history, ""

    with gr.Blocks(title="Document chat") as app:
        gr.Markdown("## Ask the documents\nAnswers quote the documents and cite the exact passage.")
        chatbot = gr.Chatbot(height=520, label="Conversation", sanitize_html=True)
        question = gr.Textbox(
            placeholder="Ask in French or English…", label="Question", autofocus=True
        )
        gr.Examples(EXAMPLES, inputs=question)
        question.submit(chat, [question, chatbot], [chatbot, question], api_visibility="private")
        gr.api(ask, api_name="ask")
    return app


def launch(assistant: Assistant, settings: Settings) -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    app = build_app(assistant, settings)
    print(f"Serving on http://{settings.host}:{settings.port}", file=sys.stderr)
    app.queue(default_concurrency_limit=4).launch(
        server_name=settings.host, server_port=settings.port, show_error=True
    )
