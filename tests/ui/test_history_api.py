"""Saved conversations through the API and the page with RAG_AUTH: each user sees only their
own; a conversation whose document changed since still opens, that citation unlinked; a
corrupted history file leaves the app answering with history off."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import Server, serve
from tests.ui.test_browser import ask

pytestmark = pytest.mark.slow

LOGINS = {"alice": "alice-secret", "bob": "bob-secret"}
QUESTION = "Qui est le PDG d'OpenAI cité dans l'article ?"
NOTE = "tide-note.txt"


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory) -> Iterator[Server]:
    logins = ",".join(f"{user}:{password}" for user, password in LOGINS.items())
    with contextmanager(serve)(tmp_path_factory.mktemp("auth-server"), {"RAG_AUTH": logins}) as s:
        yield s


def client(server: Server, user: str):  # type: ignore[no-untyped-def]
    from gradio_client import Client

    return Client(server.url, auth=(user, LOGINS[user]), verbose=False)


def login(browser, server: Server, user: str) -> Page:  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url)
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(LOGINS[user])
    page.get_by_role("button", name="Login").click()
    page.locator("#rag-status-line .rag-status").wait_for()
    return page


def test_a_user_cannot_list_or_open_anothers_conversations(auth_server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    from gradio_client.exceptions import AppError

    alice, bob = client(auth_server, "alice"), client(auth_server, "bob")
    asked = alice.predict(QUESTION, "", api_name="/chat_ask")
    assert asked["answer"]["answerable"]
    chat_id, message = asked["chat"], asked["message"]
    assert [c["id"] for c in alice.predict(api_name="/chats")["chats"]] == [chat_id]
    assert bob.predict(api_name="/chats")["chats"] == []
    for endpoint, args in (
        ("/chat_open", (chat_id,)),
        ("/export_chat", (chat_id, "md")),
        ("/chat_ask", ("And who else testified?", chat_id)),
    ):
        with pytest.raises(AppError, match=f"no saved conversation '{chat_id}'"):
            bob.predict(*args, api_name=endpoint)
    with pytest.raises(AppError, match=f"no saved answer {message}"):
        bob.predict(message, -1, "not mine", api_name="/feedback")
    assert alice.predict(chat_id, api_name="/chat_open")["messages"][0]["feedback"] is None
    (only,) = json.loads(alice.predict(chat_id, "json", 1, api_name="/export_chat"))
    assert only == asked["answer"]
    page = login(browser, auth_server, "bob")
    expect(page.locator("#rag-chats label")).to_have_count(0)
    page.context.close()
    page = login(browser, auth_server, "alice")
    expect(page.locator("#rag-chats label")).to_have_count(1)
    page.context.close()


def test_a_changed_document_still_opens_its_citations_marked(
    auth_server: Server, browser, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import handle_file

    alice = client(auth_server, "alice")
    note = tmp_path / NOTE
    note.write_text("High tide at Kerlouan is at 06:12 on Monday.\n", encoding="utf-8")
    assert alice.predict([handle_file(note)], api_name="/upload")["saved"] == [NOTE]
    asked = alice.predict("When is high tide at Kerlouan on Monday?", "", api_name="/chat_ask")
    assert asked["answer"]["citations"][0]["source"] == NOTE
    (auth_server.corpus / NOTE).write_text(
        "Tide tables moved to the harbour office.\n\nHigh tide at Kerlouan: see the office.\n",
        encoding="utf-8",
    )
    assert alice.predict(api_name="/index")["updated"] == 1
    opened = alice.predict(asked["chat"], api_name="/chat_open")
    assert opened["messages"][0]["changed_since"] == [NOTE]
    exported = alice.predict(asked["chat"], "md", api_name="/export_chat")
    assert "document changed since" in exported

    page = login(browser, auth_server, "alice")
    page.locator("#rag-chats label", has_text="high tide").click()
    reply = page.locator("#rag-chat [data-testid='bot']").last
    expect(reply.locator(".rag-cite-changed").first).to_be_visible()
    expect(reply.locator(".rag-sources")).to_contain_text("document changed since")
    expect(reply.locator("a.rag-cite")).to_have_count(0)  # never a link to other text
    expect(page.locator("#rag-history-note")).to_contain_text(NOTE)
    page.context.close()
    alice.predict(NOTE, api_name="/delete")


@pytest.fixture(scope="module")
def corrupted_server(tmp_path_factory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("corrupted-history")
    broken = base / "history.sqlite3"
    broken.write_bytes(b"definitely not SQLite\n" * 200)
    with contextmanager(serve)(base, {"RAG_HISTORY_PATH": str(broken)}) as s:
        yield s


def test_a_corrupted_history_file_leaves_the_app_answering(
    corrupted_server: Server, browser
) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    page.goto(corrupted_server.url)
    status = page.locator("#rag-status-line .rag-status")
    status.wait_for()  # the page's load events, slow on a busy machine
    expect(status).to_contain_text("history is off")
    expect(status).to_contain_text("unreadable")
    reply = ask(page, QUESTION)
    expect(reply.locator(".rag-answer")).to_contain_text("Sam Altman")
    expect(page.locator("#rag-history-note")).to_contain_text("history is off")
    page.context.close()
