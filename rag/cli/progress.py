"""Index progress on stderr: a bar with ETA on a terminal, else a plain line now and then."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from rag.index_report import IndexProgress


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class ProgressDisplay:
    """Call with each ``IndexProgress``; ``close()`` at the end (stdout stays for results).

    On a terminal: one tqdm bar per stage. Elsewhere (a log file, a pipe, CI): a line every
    ``every_s`` seconds and each stage's last line, with the rate and time left so far."""

    def __init__(self, stream: TextIO | None = None, every_s: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every_s = every_s
        self._bar: Any = None
        self._stage: str | None = None
        self._started = 0.0
        self._last_line = 0.0
        self._printed = False

    def __call__(self, progress: IndexProgress) -> None:
        now = time.monotonic()
        if progress.stage != self._stage:
            self.close()
            self._stage, self._started, self._last_line = progress.stage, now, now
            self._printed = False
            if self.tty:
                from tqdm import tqdm

                self._bar = tqdm(
                    total=progress.total,
                    desc=progress.stage.capitalize(),
                    unit=" " + progress.unit if progress.unit == "characters" else " file",
                    unit_scale=progress.unit == "characters",
                    file=self.stream,
                    dynamic_ncols=True,
                )
        if self._bar is not None:
            self._bar.update(progress.done - self._bar.n)
            return
        finished = progress.done >= progress.total
        if now - self._last_line >= self.every_s or (finished and self._printed):
            self._line(progress, now - self._started)
            self._last_line, self._printed = now, True

    def _line(self, progress: IndexProgress, elapsed: float) -> None:
        share = progress.done / progress.total if progress.total else 1.0
        parts = [
            f"{progress.stage}: {progress.done:,}/{progress.total:,} {progress.unit} ({share:.0%})"
        ]
        if progress.done and elapsed > 0:
            rate = progress.done / elapsed
            parts.append(f"{rate:,.0f} {progress.unit}/s")
            left = (progress.total - progress.done) / rate
            parts.append(f"{_duration(left)} left" if left > 0 else f"took {_duration(elapsed)}")
        print(", ".join(parts), file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
