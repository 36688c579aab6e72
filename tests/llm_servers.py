"""The bundled 0.5B model and a loopback ``llama_cpp.server`` for every test that needs an LLM."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.generation.base import GenerationError
from rag.generation.bundled import assemble, default_model_dir, get_bundled
from tests.servers import free_port, stop

TEST_MODEL = "qwen2.5-coder-0.5b"  # the smaller bundled model keeps CI fast


def model_dir() -> Path:
    return (
        Path(os.environ["RAG_MODEL_DIR"])
        if os.environ.get("RAG_MODEL_DIR")
        else default_model_dir()
    )


@pytest.fixture(scope="session")
def small_model() -> Path:
    """The bundled 0.5B GGUF, assembled on first use; skipped only if its parts are absent."""
    try:
        return assemble(get_bundled(TEST_MODEL), model_dir())
    except GenerationError as exc:
        if "is not installed" in str(exc):
            pytest.skip(f"{exc}")
        raise


@pytest.fixture(scope="session")
def llama_cpp_installed() -> None:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (make install-llm)")


@pytest.fixture(scope="session")
def llama_server(small_model: Path, llama_cpp_installed: None, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """``python -m llama_cpp.server`` serving the 0.5B model on loopback; yields its /v1 URL."""
    if (
        importlib.util.find_spec("uvicorn") is None
        or importlib.util.find_spec("sse_starlette") is None
    ):
        pytest.skip("llama-cpp-python's [server] extra is not installed")
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(small_model),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
        "--model_alias", "bundled-0.5b", "--n_threads", "1", "--n_threads_batch", "1",
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"llama_cpp.server exited with {server.returncode}: {log.read_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"llama_cpp.server did not start within 180 s: {log.read_text()[-2000:]}"
                    )
                time.sleep(0.5)
        yield url
    finally:
        stop(server, timeout_s=20)
