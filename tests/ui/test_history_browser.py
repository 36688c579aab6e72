"""Saved conversations in a real Chromium: they survive a reload and a server restart, reopen
with working citations, export with verbatim evidence, and keep their feedback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ROOT
from tests.ui.conftest import Server, serve
from tests.ui.test_browser import ask

pytestmark = pytest.mark.slow

FIRST = "Qui est le PDG d'OpenAI cité dans l'article ?"
SECOND = "What did the US Commerce Department say about Huawei's Ascend AI chips?"
COMMENT = "Right person, but the quote is long."


def start(base: Path, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return contextmanager(serve)(base, env)


def open_page(browser, server: Server) -> Page:  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url)
    page.locator("#rag-status-line .rag-status").wait_for()
    return page


@pytest.fixture(scope="module")
def restarted(browser, tmp_path_factory) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    """Two questions asked and the first one liked with a comment, the page reloaded, then
    the server stopped and started again over the same data folder."""
    base = tmp_path_factory.mktemp("history-server")
    with start(base) as first:
        page = open_page(browser, first)
        ask(page, FIRST)
        ask(page, SECOND)
        page.locator("#rag-chat [data-testid='bot']").first.hover()
        page.locator("#rag-chat button[aria-label='Like']").first.click()
        expect(page.locator("#rag-history-note")).to_contain_text("rating saved")
        page.locator("#rag-feedback-comment textarea").fill(COMMENT)
        page.get_by_role("button", name="Save comment").click()
        expect(page.locator("#rag-history-note")).to_contain_text("Comment saved")
        page.reload()
        expect(page.locator("#rag-chats label").first).to_have_text(FIRST)
        page.context.close()
    with start(base) as second:
        yield second


def test_a_conversation_survives_reload_and_restart(browser, restarted: Server) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, restarted)
    expect(page.locator("#rag-chats label")).to_have_count(1)
    page.locator("#rag-chats label").first.click()
    bots = page.locator("#rag-chat [data-testid='bot']")
    expect(bots).to_have_count(2)
    expect(page.locator("#rag-chat [data-testid='user']").last).to_have_text(SECOND)
    expect(bots.first.locator(".rag-answer")).to_contain_text("Sam Altman")
    for reply in (bots.first, bots.last):
        quote = reply.locator(".rag-sources .rag-quote").first.inner_text().strip('“”" ')
        reply.locator(".rag-answer a.rag-cite").first.click()
        hit = page.locator("#rag-viewer mark.rag-hit")
        expect(hit).to_have_text(quote)
        expect(hit).to_be_in_viewport()
    # The reopened conversation goes on: a follow-up is saved in it, not in a new one.
    ask(page, "Which company is given as an example of China's push for self-sufficiency?")
    expect(page.locator("#rag-chats label")).to_have_count(1)
    page.context.close()


def test_feedback_survives_a_restart(browser, restarted: Server) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    client = Client(restarted.url, verbose=False)
    chat_id = client.predict(api_name="/chats")["chats"][0]["id"]
    first = client.predict(chat_id, api_name="/chat_open")["messages"][0]
    assert (first["question"], first["feedback"], first["comment"]) == (FIRST, 1, COMMENT)
    page = open_page(browser, restarted)
    page.locator("#rag-chats label").first.click()
    expect(page.locator("#rag-chat button[aria-label='Liked']")).to_have_count(1)
    page.context.close()


def document_text(server: Server, source: str) -> str:
    """The indexed text offsets point into, through the real `rag show` entry point."""
    env = {
        **os.environ,
        "RAG_CORPUS_DIR": str(server.corpus),
        "RAG_INDEX_DIR": str(server.index),
        "PYTHONPATH": str(ROOT),
    }
    shown = subprocess.run(
        [sys.executable, "-m", "rag.cli", "show", source, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
        text=True,
    )
    return json.loads(shown.stdout)["text"]


CITED = re.compile(r"^\*\*\[\d+\]\*\* `(?P<source>[^`]+)`.*characters (?P<start>\d+)–(?P<end>\d+)")


def quotes(markdown: str) -> list[tuple[str, int, int, str]]:
    """(source, start, end, quote) of each citation in an exported conversation."""
    found = []
    lines = markdown.split("\n")
    for at, line in enumerate(lines):
        cited = CITED.match(line)
        if not cited:
            continue
        block = []
        for quoted in lines[at + 2 :]:
            if not quoted.startswith(">"):
                break
            block.append(quoted[2:])
        found.append((cited["source"], int(cited["start"]), int(cited["end"]), "\n".join(block)))
    return found


def test_export_downloads_markdown_whose_quotes_are_verbatim(browser, restarted: Server) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, restarted)
    page.locator("#rag-chats label").first.click()
    expect(page.locator("#rag-export-md")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#rag-export-md").click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert markdown.startswith(f"# {FIRST}")
    cited = quotes(markdown)
    assert len(cited) >= 2
    texts = {source: document_text(restarted, source) for source, *_ in cited}
    for source, start, end, quote in cited:
        assert texts[source][start:end] == quote
    assert "content hash `" in markdown and "Generator: extractive" in markdown
    page.context.close()


def test_rename_then_delete(browser, restarted: Server) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    page = open_page(browser, restarted)
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#rag-chats label").first.click()
    expect(page.locator("#rag-chat [data-testid='bot']").first).to_be_visible()
    page.locator("#rag-chat-title textarea, #rag-chat-title input").first.fill("OpenAI's CEO")
    page.locator("#rag-chat-rename").click()
    expect(page.locator("#rag-chats label").first).to_have_text("OpenAI's CEO")
    page.locator("#rag-chat-delete").click()
    expect(page.locator("#rag-chats label")).to_have_count(0)
    expect(page.locator("#rag-chat [data-testid='bot']")).to_have_count(0)
    assert Client(restarted.url, verbose=False).predict(api_name="/chats")["chats"] == []
    page.context.close()
