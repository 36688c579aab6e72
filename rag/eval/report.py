"""Turning metric dictionaries into a readable table, ratios against baselines, and run metadata."""

from __future__ import annotations

import math
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

Metrics = Mapping[str, float]


def format_value(value: float) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.3f}"


def markdown_table(rows: Mapping[str, Metrics], columns: Sequence[str]) -> str:
    """One row per system, one column per metric, missing values shown as a dash."""
    header = "| system | " + " | ".join(columns) + " |"
    rule = "|---|" + "---:|" * len(columns)
    lines = [header, rule]
    for name, metrics in rows.items():
        cells = [format_value(metrics.get(c, float("nan"))) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ratios(ours: Metrics, baseline: Metrics, columns: Sequence[str]) -> dict[str, float]:
    """ours / baseline per metric (NaN when the baseline is zero or missing)."""
    out = {}
    for column in columns:
        base = baseline.get(column, float("nan"))
        value = ours.get(column, float("nan"))
        out[column] = value / base if base and not math.isnan(base) else float("nan")
    return out


def code_version(repo: Path) -> str:
    """The git commit the run measured, marked ``-dirty`` with uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}-dirty" if dirty else commit
