"""Text from page images through Tesseract (Debian's tesseract-ocr, run as a subprocess).

A subprocess rather than pytesseract: the binary is the dependency either way, and the call
is three lines. Without Tesseract nothing fails here; callers report what went unread."""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from rag.ingest.text import UnreadableFile

# Scans are usually 200–300 dpi; Tesseract reads best at about 300.
OCR_DPI = 300
# French and English models, whichever of them are installed (scripts/ensure_tesseract.sh).
_WANTED = ("fra", "eng")
_TIMEOUT_S = 180
# A word split at a line end by a hyphen continues on the next line in lower case.
_HYPHENATED = re.compile(r"(\w)-\n(?=[a-zà-ÿ])")
# A page this close to white everywhere holds no ink to read.
_BLANK_LEVEL = 245


def no_text_layer_reason(pages: int) -> str:
    """What a user reads when scanned pages were left unread."""
    return f"{pages} pages have no text layer; install tesseract-ocr to read them"


def tesseract() -> str | None:
    return shutil.which("tesseract")


@functools.cache
def _languages(binary: str) -> str:
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        listed = []
    found = [lang for lang in _WANTED if lang in listed]
    return "+".join(found) or "eng"


def is_blank(image: Any) -> bool:
    low, _high = image.convert("L").getextrema()
    return bool(low >= _BLANK_LEVEL)


def ocr_lines(image: Any, dpi: int = OCR_DPI) -> list[str]:
    """The lines Tesseract reads in a PIL image ([] for a blank page); ``UnreadableFile`` when
    Tesseract is missing or fails."""
    binary = tesseract()
    if binary is None:
        raise UnreadableFile(no_text_layer_reason(1))
    if is_blank(image):
        return []
    png = io.BytesIO()
    image.convert("RGB").save(png, format="PNG")
    # One thread per call: indexing already runs beside the embedder on few cores.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [binary, "stdin", "stdout", "-l", _languages(binary), "--dpi", str(dpi)],
            input=png.getvalue(),
            capture_output=True,
            timeout=_TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise UnreadableFile(f"OCR took longer than {_TIMEOUT_S} s on one page") from error
    except OSError as error:
        raise UnreadableFile(f"cannot run tesseract ({error.strerror or error})") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UnreadableFile(f"tesseract failed ({message[-1] if message else done.returncode})")
    text = _HYPHENATED.sub(r"\1", done.stdout.decode("utf-8", "replace").replace("\f", ""))
    return [line.strip() for line in text.split("\n")]


def _lines_or_none(image: Any) -> list[str] | None:
    try:
        return ocr_lines(image)
    except UnreadableFile:
        return None  # this page stays unread and is reported; the others still are read


class OcrPool:
    """Pages OCR'd by parallel Tesseract processes (one per two cores: each is single-threaded
    and indexing embeds beside it), with few rendered pages held at once. ``results`` maps
    each submitted key to its lines, or None where Tesseract failed."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or max(1, (os.cpu_count() or 2) // 2)
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="ocr")
        self._pending: list[tuple[int, Future[list[str] | None]]] = []
        self._done: dict[int, list[str] | None] = {}

    def submit(self, key: int, image: Any) -> None:
        while len(self._pending) >= 2 * self.workers:  # a 300 dpi page is ~8 MB in memory
            self._collect_oldest()
        self._pending.append((key, self._executor.submit(_lines_or_none, image)))

    def _collect_oldest(self) -> None:
        key, future = self._pending.pop(0)
        self._done[key] = future.result()

    def results(self) -> dict[int, list[str] | None]:
        while self._pending:
            self._collect_oldest()
        self._executor.shutdown()
        return self._done
