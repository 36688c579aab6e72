"""Tables and ratios for the results file."""

from __future__ import annotations

import math
from pathlib import Path

from rag.eval.datasets import REPO_ROOT
from rag.eval.report import code_version, markdown_table, ratios


def test_markdown_table_shows_every_system_and_dashes_for_missing() -> None:
    table = markdown_table(
        {"ours": {"recall@1": 0.75, "p50_ms": 12.34}, "bm25": {"recall@1": 0.5}},
        ["recall@1", "p50_ms"],
    )
    assert table.splitlines() == [
        "| system | recall@1 | p50_ms |",
        "|---|---:|---:|",
        "| ours | 0.750 | 12.340 |",
        "| bm25 | 0.500 | – |",
    ]


def test_ratios_against_a_baseline() -> None:
    out = ratios({"a": 0.9, "b": 1.0, "c": 2.0}, {"a": 0.6, "b": 0.0}, ["a", "b", "c"])
    assert out["a"] == 1.5
    assert math.isnan(out["b"]) and math.isnan(out["c"])


def test_code_version_names_a_commit(tmp_path: Path) -> None:
    version = code_version(REPO_ROOT)
    assert len(version.removesuffix("-dirty")) == 12
    assert code_version(tmp_path) == "unknown"
