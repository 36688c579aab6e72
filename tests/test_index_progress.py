"""`rag index` shows its progress on stderr, with or without ``--json``, and measures its stages."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

from rag.cli.progress import ProgressDisplay
from rag.index_report import STAGES, IndexProgress
from tests.conftest import SEED_FILE
from tests.test_cli import run

_LINE = re.compile(r"^(reading|embedding): ([\d,]+)/([\d,]+) (files|characters) \(\d+%\)")


def _counts(stderr: str, stage: str) -> list[tuple[int, int]]:
    found = []
    for line in stderr.splitlines():
        match = _LINE.match(line)
        if match and match[1] == stage:
            found.append((int(match[2].replace(",", "")), int(match[3].replace(",", ""))))
    return found


def test_index_json_prints_one_object_on_stdout_and_progress_on_stderr(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    (corpus / "chats.txt").write_text("Les chats dorment seize heures par jour.\n", "utf-8")
    env = {
        **os.environ,
        "RAG_CORPUS_DIR": str(corpus),
        "RAG_INDEX_DIR": str(tmp_path / "index"),
        "RAG_PROGRESS_EVERY_S": "0",  # every update as a line: stderr is a pipe here
        "RAG_COMMIT_EVERY_CHUNKS": "3",
        "RAG_CHUNK_CHARS": "200",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    result = run(["index", "--json"], env)
    assert result.returncode == 0, result.stderr

    lines = result.stdout.splitlines()
    assert len(lines) == 1  # stdout stays one JSON object per line
    report = json.loads(lines[0])
    assert report["documents"] == 2 and report["characters"] > 0
    assert set(report["stage_seconds"]) == set(STAGES)
    assert report["stage_seconds"]["embed_chunks"] > 0
    assert report["characters_per_s"] > 0

    files = _counts(result.stderr, "reading")
    assert files == [(1, 2), (2, 2)]
    embedded = _counts(result.stderr, "embedding")
    assert len(embedded) >= 4  # several commits of 3 chunks each
    done = [d for d, _ in embedded]
    assert done == sorted(done) and done[0] < done[-1]
    assert embedded[-1][0] == embedded[-1][1]  # reaches the total
    assert {total for _, total in embedded} == {embedded[-1][1]}  # an honest, fixed total

    again = run(["index", "--json"], env)  # nothing to embed: no embedding lines
    assert json.loads(again.stdout)["passages_embedded"] == 0
    assert _counts(again.stderr, "embedding") == []


def test_quiet_unless_slow_when_not_a_terminal():
    stream = io.StringIO()
    display = ProgressDisplay(stream, every_s=3600)
    for done in range(0, 101, 10):
        display(IndexProgress("embedding", done, 100, "characters"))
    display.close()
    assert stream.getvalue() == ""  # a quick run says nothing; its report says the rest


def test_line_has_rate_and_time_left():
    stream = io.StringIO()
    display = ProgressDisplay(stream, every_s=0)
    display(IndexProgress("embedding", 0, 1000, "characters"))
    display(IndexProgress("embedding", 250, 1000, "characters"))
    lines = stream.getvalue().splitlines()
    assert lines[0] == "embedding: 0/1,000 characters (0%)"
    assert re.fullmatch(
        r"embedding: 250/1,000 characters \(25%\), [\d,]+ characters/s, \d+ (s|min|h) left",
        lines[1],
    )


def test_upload_in_the_web_app_reports_progress(tmp_path: Path, embedder):
    from rag.pipeline import Assistant
    from rag.settings import Settings
    from ui.library import Library

    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    library = Library(Assistant(settings, embedder=embedder))
    steps: list[IndexProgress] = []
    outcome = library.upload([(SEED_FILE, SEED_FILE.name)], progress=steps.append)
    assert outcome.saved == [SEED_FILE.name]
    embedding = [s for s in steps if s.stage == "embedding"]
    assert embedding[0].done == 0 and embedding[-1].done == embedding[-1].total > 0
    assert all(s.unit == "characters" for s in embedding)
