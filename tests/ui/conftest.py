"""The web app started through `rag serve` on a free loopback port, and a real Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_FILE
from tests.servers import free_port, stop

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
START_TIMEOUT_S = 180


@dataclass
class Server:
    url: str
    corpus: Path
    index: Path
    log: Path


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`rag serve` exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/gradio_api/info", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, behind a login (RAG_AUTH)
        except OSError:
            time.sleep(0.5)
    pytest.fail(
        f"`rag serve` did not answer within {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}"
    )


def serve(base: Path, extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    """`rag serve` in a subprocess, as users start it, over a temporary index of the seed;
    again on the same ``base``, it is the same server restarted (its index and history kept)."""
    corpus, index, log = base / "corpus", base / "index", base / "serve.log"
    corpus.mkdir(exist_ok=True)
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    port = free_port()
    env = {
        **os.environ,
        "RAG_CORPUS_DIR": str(corpus),
        "RAG_INDEX_DIR": str(index),
        "RAG_COLLECTIONS_DIR": str(base / "collections"),
        "RAG_HOST": "127.0.0.1",
        "RAG_PORT": str(port),
        "RAG_UPLOAD_MAX_MB": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "ANONYMIZED_TELEMETRY": "False",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        **(extra_env or {}),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "serve"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, url, log)
        yield Server(url, corpus, index, log)
    finally:
        stop(process, timeout_s=20)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """The app with the extractive generator (the tests' default)."""
    yield from serve(tmp_path_factory.mktemp("ui-server"))


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory, small_model: Path, llama_cpp_installed: None) -> Iterator[Server]:
    """The app with the bundled 0.5B run in-process, as `make run` starts it (with the 1.5B)."""
    yield from serve(
        tmp_path_factory.mktemp("ui-llm-server"),
        {
            "RAG_GENERATOR": "llamacpp",
            "RAG_BUNDLED_MODEL": "qwen2.5-coder-0.5b",
            "RAG_MODEL_DIR": str(small_model.parent),
            "RAG_LLM_MAX_TOKENS": "96",
            # A shared 2-core machine: the 60 s default ends the 0.5B's attempt before it
            # writes; fewer passages and a longer wait let the test see the LLM's answer.
            "RAG_TOP_K": "3",
            "RAG_LLM_TIMEOUT_S": "400",
        },
    )


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        if os.environ.get("RAG_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; run scripts/ensure_chromium.sh as root")
        pytest.skip(f"{CHROMIUM} is missing (scripts/ensure_chromium.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageWatch:
    """What a page did that a test may forbid: dialogs opened, script errors."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def page(browser, server, watch, request):  # type: ignore[no-untyped-def]
    """A fresh laptop-sized page on the app; a screenshot of its last state is kept."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)

    def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.goto(server.url)
    page.locator("#rag-status-line .rag-status").wait_for()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
