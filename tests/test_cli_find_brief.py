"""`rag find` and `rag brief` through the real entry point, and their Gradio API endpoints."""

from __future__ import annotations

import json

import pytest

from rag.cli import main


@pytest.fixture
def seed_env(seed_assistant, monkeypatch):
    monkeypatch.setenv("RAG_CORPUS_DIR", str(seed_assistant.settings.corpus_dir))
    monkeypatch.setenv("RAG_INDEX_DIR", str(seed_assistant.settings.index_dir))
    return seed_assistant


def test_find_json_prints_one_object_per_query(seed_env, capsys):
    status = main(
        [
            "find",
            "--json",
            "La trajectoire de Huawei est un exemple.",
            "Apple a présenté un nouvel iPhone lors de sa conférence annuelle.",
        ]
    )
    lines = capsys.readouterr().out.splitlines()
    assert status == 0 and len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["found"] and first["matches"][0]["kind"] == "exact"
    assert not second["found"] and second["matches"] == []


def test_brief_json_has_cited_bullets(seed_env, capsys):
    assert main(["brief", "--json", "--bullets", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["bullets"]) == 3
    assert all(bullet["citations"] for bullet in data["bullets"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["brief", "--bullets", "0"], "--bullets must be at least 1"),
        (["brief", "--source", "missing.txt"], "no indexed document"),
        (["find", "--limit", "0", "x"], "--limit must be at least 1"),
        (["find", "   "], "empty"),
    ],
)
def test_user_errors_are_one_line_on_stderr(seed_env, capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_gradio_app_exposes_find_and_brief(seed_assistant):
    from ui.app import build_app

    app = build_app(seed_assistant, seed_assistant.settings)
    names = {fn.api_name for fn in app.fns.values()}
    assert {"ask", "find", "brief"} <= names
    find = next(fn.fn for fn in app.fns.values() if fn.api_name == "find")
    brief = next(fn.fn for fn in app.fns.values() if fn.api_name == "brief")
    assert (
        find("La trajectoire de Huawei est un exemple.")
        == seed_assistant.find("La trajectoire de Huawei est un exemple.").to_json()
    )
    assert brief("", 2)["bullets"] == seed_assistant.brief(bullets=2).to_json()["bullets"]


def test_find_reads_one_query_a_line_from_stdin(seed_env, capsys, monkeypatch):
    import io

    monkeypatch.setattr(
        "sys.stdin", io.StringIO("La trajectoire de Huawei est un exemple.\n\nla trajectoire\n")
    )
    assert main(["find", "--json", "-"]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["query"] for r in results] == [
        "La trajectoire de Huawei est un exemple.",
        "la trajectoire",
    ]
    assert all(r["found"] for r in results)
