"""The page with an LLM (the bundled 0.5B in-process): the quoted answer first, then the LLM's.

Timings and screenshots of each step go to RAG_SHOTS_DIR (default test-artifacts/answerflow).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import ARTIFACTS, PageWatch, Server

pytestmark = pytest.mark.slow

SHOTS = Path(os.environ.get("RAG_SHOTS_DIR") or ARTIFACTS / "answerflow")
QUOTED = ".rag-answer.rag-provisional"
FINAL = ".rag-answer:not(.rag-streaming):not(.rag-provisional), .rag-decline, .rag-error"
LLM_WAIT_MS = 450_000  # the 0.5B on two shared cores: tens of seconds, more under load


@pytest.fixture
def llm_page(browser, llm_server: Server, watch: PageWatch) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.goto(llm_server.url)
    page.locator("#rag-status-line .rag-status").wait_for()
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_first_question_shows_the_quote_then_the_verified_llm_answer(
    llm_page: Page, watch: PageWatch
) -> None:
    page = llm_page
    timings: dict[str, float] = {}
    shot(page, "0-opened")
    status_at_open = page.locator("#rag-status-line").inner_text()
    box = page.locator("#rag-question textarea")
    box.fill("Qui est le PDG d'OpenAI cité dans l'article ?")
    started = time.monotonic()
    box.press("Enter")
    reply = page.locator("#rag-chat [data-testid='bot']").last
    quoted = reply.locator(QUOTED)
    quoted.wait_for()
    timings["quoted_s"] = time.monotonic() - started
    shot(page, "1-quoted-answer")
    expect(reply.locator(".rag-quoted-label")).to_contain_text("Quoted from the documents")
    expect(quoted).to_contain_text("Sam Altman")
    expect(quoted.locator("a.rag-cite").first).to_be_visible()
    # The quote's citation opens the highlighted span while the model is still writing.
    quote = reply.locator(".rag-sources .rag-quote").first.inner_text().strip('“”" ')
    quoted.locator("a.rag-cite").first.click()
    expect(page.locator("#rag-viewer mark.rag-hit")).to_have_text(quote)
    shot(page, "2-quote-opened-while-writing")
    final = reply.locator(FINAL).first
    final.wait_for(timeout=LLM_WAIT_MS)
    timings["final_s"] = time.monotonic() - started
    shot(page, "3-final-answer")
    assert reply.locator(".rag-error").count() == 0
    assert reply.locator(QUOTED).count() == 0  # replaced, not stacked
    # What the 0.5B writes varies; that it was verified and cites is what this test checks.
    expect(final.locator("a.rag-cite").first).to_be_visible()
    # Written by the model and verified, not the quote kept after a failure.
    expect(reply.locator(".rag-meta")).to_contain_text("llamacpp")
    assert "Error" not in page.locator("#rag-chat").inner_text()
    assert watch.errors == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    record = {**timings, "status_at_open": status_at_open, "final_meta": reply.inner_text()[-300:]}
    (SHOTS / "timings.json").write_text(json.dumps(record, ensure_ascii=False, indent=1))
    assert timings["quoted_s"] < timings["final_s"]


def test_briefing_shows_the_quoted_bullets_first(llm_page: Page) -> None:
    page = llm_page
    page.get_by_role("tab", name="Briefing").click()
    started = time.monotonic()
    page.get_by_role("button", name="Write briefing").click()
    page.locator("#rag-brief-out .rag-brief.rag-provisional li").first.wait_for()
    quoted_s = time.monotonic() - started
    shot(page, "4-quoted-briefing")
    expect(page.locator("#rag-brief-out .rag-quoted-label")).to_be_visible()
    final = page.locator("#rag-brief-out .rag-brief:not(.rag-provisional) li").first
    final.wait_for(timeout=LLM_WAIT_MS)
    final_s = time.monotonic() - started
    shot(page, "5-final-briefing")
    expect(page.locator("#rag-brief-out .rag-quoted-label")).to_have_count(0)
    expect(page.locator("#rag-brief-out .rag-warning")).to_have_count(0)  # no LLM failure
    final.locator("a.rag-cite").first.click()
    expect(page.locator("#rag-viewer mark.rag-hit")).to_be_visible()
    (SHOTS / "brief-timings.json").write_text(
        json.dumps({"quoted_s": quoted_s, "final_s": final_s})
    )
    assert quoted_s < final_s


def test_status_line_turns_ready_once_the_model_is_loaded(llm_page: Page) -> None:
    status = llm_page.locator("#rag-status-line .rag-status")
    expect(status).to_contain_text("llamacpp", timeout=LLM_WAIT_MS)
    expect(status).not_to_contain_text("loading", timeout=LLM_WAIT_MS)
