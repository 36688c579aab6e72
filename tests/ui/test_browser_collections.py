"""Collections and the document filter in a real Chromium: each answer cites only what it may."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SEED_FILE
from tests.ui.conftest import ARTIFACTS, Server, serve
from tests.ui.test_browser import ask, upload

pytestmark = pytest.mark.slow

CATS = (
    "The domestic cat sleeps about sixteen hours a day. It hunts mostly at night, and its "
    "whiskers sense air currents. Kittens open their eyes after about a week."
)
LIGHTHOUSE = (
    "The Kerbrat lighthouse keeper logbook.\n\n"
    "The Kerbrat lighthouse was repainted teal and white in the spring of 1987. "
    "Its lamp was electrified two years later.\n"
)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory) -> Iterator[Server]:
    """A server of its own: switching collections changes what every page of it shows."""
    yield from serve(tmp_path_factory.mktemp("ui-collections"))


@pytest.fixture
def own_page(browser, own_server: Server, request) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(own_server.url)
    page.locator("#rag-status-line .rag-status").wait_for()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def examples(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#rag-examples button:visible").all_inner_texts()]


def choose(page: Page, box: str, option: str) -> None:
    page.locator(f"{box} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def test_switch_collection_then_ask_cites_only_that_collection(
    own_page: Page, tmp_path: Path
) -> None:
    page = own_page
    expect(page.locator("#rag-examples button").first).to_be_visible()
    seed_examples = examples(page)
    assert len(seed_examples) == 4
    page.get_by_role("tab", name="Documents").click()
    page.locator("#rag-collection-name textarea").fill("cats")
    page.locator("#rag-collection-create").click()
    expect(page.locator("#rag-upload-out")).to_contain_text("Created and opened collection 'cats'")
    expect(page.locator("#rag-status-line")).to_contain_text("collection cats")
    note = tmp_path / "cats.txt"
    note.write_text(CATS, encoding="utf-8")
    upload(page, note)
    expect(page.locator("#rag-docs")).to_contain_text("cats.txt")
    expect(page.locator("#rag-docs")).not_to_contain_text(SEED_FILE.name)
    # The example questions come from the documents: the cats', none of the seed's.
    page.get_by_role("tab", name="Chat").click()
    expect(page.locator("#rag-examples button").first).to_be_visible()
    cats_examples = examples(page)
    assert cats_examples and not set(cats_examples) & set(seed_examples)

    reply = ask(page, "How long do cats sleep?")
    expect(reply.locator(".rag-answer")).to_contain_text("sixteen hours")
    expect(reply.locator(".rag-sources")).to_contain_text("cats.txt")
    expect(reply.locator(".rag-sources")).not_to_contain_text(SEED_FILE.name)

    page.get_by_role("tab", name="Documents").click()
    choose(page, "#rag-collection", "default")
    expect(page.locator("#rag-upload-out")).to_contain_text("Opened collection 'default'")
    expect(page.locator("#rag-docs")).to_contain_text(SEED_FILE.name)
    reply = ask(page, "Who is the CEO of Nvidia?")
    expect(reply.locator(".rag-answer")).to_contain_text("Jensen Huang")
    expect(reply.locator(".rag-sources")).not_to_contain_text("cats.txt")


def test_a_chat_restricted_to_one_document_cites_only_it(
    own_page: Page, own_server: Server, tmp_path: Path
) -> None:
    page = own_page
    note = tmp_path / "lighthouse.txt"
    note.write_text(LIGHTHOUSE, encoding="utf-8")
    upload(page, note)
    expect(page.locator("#rag-docs")).to_contain_text("lighthouse.txt")

    page.get_by_role("tab", name="Chat").click()
    choose(page, "#rag-filter", "lighthouse.txt")
    reply = ask(page, "What colour was the Kerbrat lighthouse repainted in 1987?")
    expect(reply.locator(".rag-answer")).to_contain_text("teal")
    expect(reply.locator(".rag-sources")).not_to_contain_text(SEED_FILE.name)
    reply = ask(page, "Who is the CEO of Nvidia?")  # said only by the other document
    expect(reply.locator(".rag-answer")).to_have_count(0)
    expect(reply.locator(".rag-sources")).to_have_count(0)
