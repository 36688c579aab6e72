"""The page in a real Chromium: cited answers, the source viewer, find, briefing, uploads."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import ARTIFACTS, PageWatch, Server

pytestmark = pytest.mark.slow

FINAL = ".rag-answer:not(.rag-streaming):not(.rag-provisional), .rag-decline, .rag-error"


def ask(page: Page, question: str):  # type: ignore[no-untyped-def]
    """Ask in the chat tab; the finished reply's message element."""
    page.get_by_role("tab", name="Chat").click()
    bots = page.locator("#rag-chat [data-testid='bot']")
    before = bots.count()
    box = page.locator("#rag-question textarea")
    box.fill(question)
    box.press("Enter")
    expect(bots).to_have_count(before + 1)
    reply = bots.last
    reply.locator(FINAL).first.wait_for()
    return reply


def upload(page: Page, path) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Documents").click()
    page.locator("#rag-upload input[type='file']").set_input_files(str(path))
    expect(page.locator("#rag-upload-out .rag-notice").first).to_be_visible()


def test_french_question_gets_a_cited_answer(page: Page) -> None:
    reply = ask(page, "Qui est le PDG d'OpenAI cité dans l'article ?")
    expect(reply.locator(".rag-answer")).to_contain_text("Sam Altman")
    expect(reply.locator(".rag-answer a.rag-cite").first).to_have_text("[1]")
    expect(reply.locator(".rag-sources .rag-quote").first).to_contain_text("Sam Altman")


def test_english_question_gets_a_cited_answer(page: Page) -> None:
    reply = ask(page, "What did the US Commerce Department say about Huawei's Ascend AI chips?")
    expect(reply.locator(".rag-answer")).to_contain_text("Huawei")
    expect(reply.locator(".rag-answer a.rag-cite").first).to_be_visible()


def test_example_button_asks_and_a_citation_opens_the_highlighted_span(page: Page) -> None:
    page.locator("#rag-examples button").first.click()
    reply = page.locator("#rag-chat [data-testid='bot']").last
    reply.locator(".rag-answer a.rag-cite").first.wait_for()
    quote = reply.locator(".rag-sources .rag-quote").first.inner_text().strip('“”" ')
    reply.locator(".rag-answer a.rag-cite").first.click()
    hit = page.locator("#rag-viewer mark.rag-hit")
    expect(hit).to_have_text(quote)
    expect(hit).to_be_in_viewport()
    expect(page.locator("#rag-viewer .rag-viewer-info")).to_contain_text("characters")
    page.locator("#rag-viewer").screenshot(path=str(ARTIFACTS / "viewer-highlight.png"))


def test_unanswerable_question_shows_the_documents_dont_say_state(page: Page) -> None:
    reply = ask(page, "What is the boiling point of mercury on Mars?")
    expect(reply.locator(".rag-decline")).to_contain_text("Not in the documents")
    expect(reply.locator(".rag-answer")).to_have_count(0)


def test_follow_up_keeps_the_conversation(page: Page) -> None:
    ask(page, "Qui est le PDG d'OpenAI cité dans l'article ?")
    reply = ask(
        page,
        "Which company is given as an example of China's push for technological self-sufficiency?",
    )
    expect(reply.locator(".rag-answer")).to_contain_text("Huawei")
    expect(page.locator("#rag-chat [data-testid='user']")).to_have_count(2)


def test_find_a_quote(page: Page, server: Server) -> None:
    page.get_by_role("tab", name="Find a quote").click()
    page.locator("#rag-find-text textarea").fill("la peur de perdre son leadership mondial")
    page.get_by_role("button", name="Find", exact=True).click()
    first = page.locator("#rag-find-out .rag-find-item").first
    expect(first.locator("mark.rag-match")).to_contain_text("leadership mondial")
    expect(first.locator(".rag-kind")).to_have_text("exact")
    first.locator("a.rag-cite").click()
    expect(page.locator("#rag-viewer mark.rag-hit")).to_contain_text("leadership mondial")


def test_briefing(page: Page) -> None:
    page.get_by_role("tab", name="Briefing").click()
    page.get_by_role("button", name="Write briefing").click()
    bullets = page.locator("#rag-brief-out .rag-brief li")
    expect(bullets.first).to_be_visible()
    bullets.first.locator("a.rag-cite").first.click()
    expect(page.locator("#rag-viewer mark.rag-hit")).to_be_visible()


def test_upload_then_ask_about_it(page: Page, server: Server, tmp_path) -> None:
    note = tmp_path / "lighthouse-note.txt"
    note.write_text(
        "The Kerbrat lighthouse keeper logbook.\n\n"
        "The Kerbrat lighthouse was repainted teal and white in the spring of 1987. "
        "Its lamp was electrified two years later.\n",
        encoding="utf-8",
    )
    upload(page, note)
    expect(page.locator("#rag-upload-out")).to_contain_text("Indexed: lighthouse-note.txt")
    expect(page.locator("#rag-docs")).to_contain_text("lighthouse-note.txt")
    assert (server.corpus / "lighthouse-note.txt").exists()
    reply = ask(page, "What colour was the Kerbrat lighthouse repainted in 1987?")
    expect(reply.locator(".rag-answer")).to_contain_text("teal")
    expect(reply.locator(".rag-sources")).to_contain_text("lighthouse-note.txt")


def test_bad_upload_gets_its_own_message(page: Page, tmp_path) -> None:
    bad = tmp_path / "notes.exe"
    bad.write_bytes(b"MZ\x00\x00binary")
    upload(page, bad)
    expect(page.locator("#rag-upload-out .rag-notice-error")).to_contain_text("notes.exe")
    expect(page.locator("#rag-docs")).to_contain_text("000_")  # the seed is still there


def test_document_with_markup_is_shown_as_text(page: Page, watch: PageWatch, tmp_path) -> None:
    hostile = tmp_path / "hostile-markup.txt"
    payload = '<script>alert("xss")</script> <img src=x onerror="alert(1)">'
    hostile.write_text(
        f"Zanzibar cloves audit.\n\nThe Zanzibar clove audit found this string: {payload} "
        "in the export ledger of 2021.\n",
        encoding="utf-8",
    )
    upload(page, hostile)
    expect(page.locator("#rag-upload-out")).to_contain_text("Indexed: hostile-markup.txt")
    reply = ask(page, "What string did the Zanzibar clove audit find in the export ledger?")
    reply.locator(".rag-answer a.rag-cite").first.click()
    viewer = page.locator("#rag-viewer .rag-viewer-text")
    expect(viewer).to_contain_text('<script>alert("xss")</script>')
    expect(viewer).to_contain_text('<img src=x onerror="alert(1)">')
    assert page.locator("#rag-viewer script, #rag-viewer img, #rag-chat img[src='x']").count() == 0
    page.wait_for_timeout(500)
    assert watch.dialogs == []
    assert watch.errors == []


def test_dark_mode_and_phone_width(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url + "/?__theme=dark")
    reply = ask(page, "Qui est le PDG d'OpenAI cité dans l'article ?")
    reply.locator(".rag-answer a.rag-cite").first.click()
    expect(page.locator("#rag-viewer mark.rag-hit")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than a phone screen"
    assert page.evaluate("document.body.classList.contains('dark')")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-dark.png"), full_page=True)
    context.close()
