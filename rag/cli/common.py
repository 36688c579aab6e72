"""What every ``rag`` command shares: the user-error type, JSON output, progress, the assistant."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rag.settings import Settings

if TYPE_CHECKING:
    from rag.indexer import IndexReport
    from rag.pipeline import Assistant


class UserError(Exception):
    """An error the user caused and can fix: printed as one line, exit status 2."""


def quiet_libraries() -> None:
    # Offline machine: telemetry calls would only time out.
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def emit(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False), flush=True)


def progress_bar(
    enabled: bool, unit: str = "chunk", desc: str = "Embedding"
) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    if not enabled:
        return None, lambda: None
    from tqdm import tqdm

    bar: list[Any] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, unit=unit, desc=desc, file=sys.stderr))
        bar[0].update(done - bar[0].n)

    return update, lambda: bar[0].close() if bar else None


def open_assistant(settings: Settings, build_if_missing: bool = True) -> Assistant:
    from rag.pipeline import Assistant

    assistant = Assistant(settings)
    if build_if_missing and not assistant.store.exists():
        print(
            f"No index at {settings.index_dir}; building it from {settings.corpus_dir} first.",
            file=sys.stderr,
        )
        report = run_index(assistant)
        if report.documents == 0:
            raise UserError(f"no readable documents in {settings.corpus_dir}")
    return assistant


def run_index(assistant: Assistant, rebuild: bool = False) -> IndexReport:
    """Index with progress on stderr (also under ``--json``: stdout carries only the result)."""
    from rag.cli.progress import ProgressDisplay

    display = ProgressDisplay(sys.stderr, every_s=assistant.settings.progress_every_s)
    try:
        return assistant.index(rebuild=rebuild, progress=display)
    finally:
        display.close()
