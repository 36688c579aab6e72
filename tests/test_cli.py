"""The ``rag`` console script, run as a user would: JSON lines out, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_FILE

RAG = Path(sys.executable).parent / "rag"


def run(
    args: list[str], env: dict[str, str], timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    command = [str(RAG)] if RAG.exists() else [sys.executable, "-m", "rag.cli"]
    return subprocess.run(command + args, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    corpus = tmp_path_factory.mktemp("cli-corpus")
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    (corpus / "bad.pdf").write_bytes(b"not a pdf")
    return {
        **os.environ,
        "RAG_CORPUS_DIR": str(corpus),
        "RAG_INDEX_DIR": str(tmp_path_factory.mktemp("cli-index") / "index"),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }


@pytest.mark.slow
def test_index_ask_retrieve_show(env):
    # `ask` on a missing index builds it first.
    asked = run(
        ["ask", "--json", "Who is the CEO of Nvidia?", "Quelle est la capitale de l'Australie ?"],
        env,
    )
    assert asked.returncode == 0, asked.stderr
    answers = [json.loads(line) for line in asked.stdout.splitlines()]
    assert [a["answerable"] for a in answers] == [True, False]
    assert "Jensen Huang" in answers[0]["answer"]
    assert answers[0]["generator"] == "extractive"
    assert "ne le disent pas" in answers[1]["answer"]

    indexed = run(["index", "--json"], env)
    assert indexed.returncode == 0, indexed.stderr
    report = json.loads(indexed.stdout)
    assert (report["documents"], report["passages_embedded"], report["unchanged"]) == (1, 0, 1)
    assert report["skipped"][0]["source"] == "bad.pdf"

    retrieved = run(["retrieve", "--json", "--k", "2", "Sam Altman"], env)
    passages = json.loads(retrieved.stdout)["passages"]
    assert len(passages) == 2 and "Sam Altman" in passages[0]["text"]

    shown = run(["show", "--json", SEED_FILE.name], env)
    document = json.loads(shown.stdout)
    quote = answers[0]["citations"][0]
    assert document["text"][quote["start"] : quote["end"]] == quote["quote"]
    assert document["text"] == SEED_FILE.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "   "], "the question is empty"),
        (["show", "missing.txt"], "no indexed document 'missing.txt'"),
        (["retrieve", "--k", "0", "x"], "--k must be at least 1"),
    ],
)
def test_user_errors_are_one_line_without_traceback(env, args, message):
    result = run(args, env)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_empty_corpus_is_a_clear_error(tmp_path):
    (tmp_path / "corpus").mkdir()
    env = {
        **os.environ,
        "RAG_CORPUS_DIR": str(tmp_path / "corpus"),
        "RAG_INDEX_DIR": str(tmp_path / "i"),
    }
    result = run(["index"], env)
    assert result.returncode == 2
    assert "no readable documents" in result.stderr and "Traceback" not in result.stderr


def test_bad_setting_is_a_clear_error(tmp_path):
    result = run(["index"], {**os.environ, "RAG_TOP_K": "many"})
    assert result.returncode == 2
    assert "RAG_TOP_K" in result.stderr and "Traceback" not in result.stderr
