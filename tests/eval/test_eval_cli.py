"""CI smoke run of ``rag eval`` through the real entry point: dev, and a tiny PIAF sample."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rag.eval.datasets import REPO_ROOT, default_eval_dir

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not default_eval_dir().is_dir(), reason="shared eval data not found"),
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("eval-cache")


def rag_eval(args: list[str], cache_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "ANONYMIZED_TELEMETRY": "False"}
    command = [sys.executable, "-m", "rag.cli", "eval", "--cache-dir", str(cache_dir), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def run_json(args: list[str], cache_dir: Path) -> dict[str, Any]:
    done = rag_eval([*args, "--json"], cache_dir)
    assert done.returncode == 0, done.stderr
    results: dict[str, Any] = json.loads(done.stdout)
    return results


def test_dev_run_measures_ours_against_every_baseline(cache_dir: Path) -> None:
    results = run_json(["--dataset", "dev"], cache_dir)
    assert results["questions"] == 12
    assert set(results["retrieval"]) == {"ours", "bm25", "dense", "llama-index"}
    assert results["retrieval"]["ours"]["recall@5"] == 1.0  # one document: it must be found
    answers = results["answers"]["ours"]
    assert answers["citations"] > 0
    assert answers["citation_validity"] == 1.0
    assert 0.0 <= answers["keyword_accuracy"] <= 1.0
    assert 0.0 <= answers["answerability_auroc"] <= 1.0
    assert set(results["ratios"]) == {"ours/bm25", "ours/dense", "ours/llama-index"}
    assert results["code_version"] != "unknown"
    assert results["settings"]["chunk_chars"] > 0
    written = json.loads((cache_dir / "results" / "dev-full.json").read_text())
    assert written["retrieval"] == results["retrieval"]


def test_tiny_piaf_sample_with_a_small_haystack(cache_dir: Path) -> None:
    results = run_json(["--dataset", "piaf", "--limit", "4", "--documents", "12"], cache_dir)
    assert results["questions"] == 4 and results["documents"] == 12
    for metrics in results["retrieval"].values():
        assert 0.0 <= metrics["recall@1"] <= metrics["recall@5"] <= metrics["recall@10"] <= 1.0
    assert "answer_f1" in results["answers"]["ours"]
    assert "refusal_recall" not in results["answers"]["ours"]  # PIAF has no unanswerable


def test_second_run_embeds_nothing(cache_dir: Path) -> None:
    results = run_json(["--dataset", "dev", "--no-plain", "--no-ask"], cache_dir)
    assert results["index"]["passages_embedded"] == 0
    assert "answers" not in results and "llama-index" not in results["retrieval"]


def test_table_output_and_bad_arguments(cache_dir: Path) -> None:
    done = rag_eval(["--dataset", "dev", "--no-plain", "--no-ask"], cache_dir)
    assert done.returncode == 0
    assert "| ours |" in done.stdout and "Results written to" in done.stdout
    assert rag_eval(["--dataset", "dev", "--limit", "0"], cache_dir).returncode == 2
    assert rag_eval(["--dataset", "nope"], cache_dir).returncode == 2


def test_real_documents_smoke_run(cache_dir: Path) -> None:
    """One seeded question (r16) over its HTML page, the smallest of the corpus: embedding the
    whole corpus takes many minutes on two cores (the full set is `scripts/bench.py --real`)."""
    args = ["--dataset", "real", "--limit", "1", "--documents", "1", "--no-plain"]
    results = run_json(args, cache_dir)
    assert results["questions"] == 1 and results["documents"] == 1
    real = results["real"]
    row = real["questions"][0]
    assert row["id"] == "r16" and isinstance(row["keywords"], bool)
    assert row["right"] == (row["keywords"] and row["gold_citation"])
    assert all(c["source"] == "maint-guide/upload.fr.html" for c in row["citations"])
    summary = real["summary"]
    assert summary["answerable"] == 1 and summary["unanswerable"] == 0
    assert [p["id"] for p in real["probes"]] == ["rf07", "rf08"]  # their sources are not kept
    build = results["index"]["build"]
    assert build["characters"] > 3_000 and build["chunks"] > 0 and build["sentences_embedded"] > 0
    assert build["characters_per_second"] > 0 and build["reused"] is False
    again = run_json([*args, "--no-ask"], cache_dir)
    assert again["index"]["build"] == {**build, "reused": True}  # the saved figures of the build
    assert "real" not in again
    unprobed = run_json([*args, "--no-find"], cache_dir)["real"]
    assert unprobed["probes"] == [] and unprobed["questions"][0]["id"] == "r16"
