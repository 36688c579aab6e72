"""`rag ask --chat`, `rag chats [export]` and `rag eval --dataset feedback` through the real
entry point, over a temporary index and history file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from rag.history import ChatStore
from tests.conftest import SEED_FILE
from tests.test_cli import run

pytestmark = pytest.mark.slow

FIRST = "Qui est le PDG d'OpenAI cité dans l'article ?"
FOLLOW_UP = "Et quelle entreprise chinoise est donnée en exemple ?"


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("cli-chats")
    (base / "corpus").mkdir()
    shutil.copy(SEED_FILE, base / "corpus" / SEED_FILE.name)
    return {
        **os.environ,
        "RAG_CORPUS_DIR": str(base / "corpus"),
        "RAG_INDEX_DIR": str(base / "index"),
        "RAG_HISTORY_PATH": str(base / "history.sqlite3"),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }


@pytest.fixture(scope="module")
def chat(env) -> str:  # type: ignore[no-untyped-def]
    """A conversation started and continued from the command line; its id."""
    started = run(["ask", "--chat", "new", "--json", FIRST], env)
    assert started.returncode == 0, started.stderr
    chat_id = started.stderr.split("saved as conversation ")[1].split()[0]
    continued = run(["ask", "--chat", chat_id, "--json", FOLLOW_UP], env)
    assert continued.returncode == 0, continued.stderr
    # The saved history went to the follow-up rewriter, as in the web chat.
    follow_up = json.loads(continued.stdout)
    assert follow_up["standalone_question"] not in (None, FOLLOW_UP)
    return chat_id


def test_chats_lists_and_exports(env, chat) -> None:  # type: ignore[no-untyped-def]
    listed = run(["chats", "--json"], env)
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)["chats"]
    assert (row["id"], row["title"], row["answers"], row["user"]) == (chat, FIRST, 2, "")
    assert chat in run(["chats"], env).stdout

    exported = run(["chats", "export", chat, "--format", "json"], env)
    answers = json.loads(exported.stdout)
    assert [a["question"] for a in answers] == [FIRST, FOLLOW_UP]
    assert "Sam Altman" in answers[0]["answer"] and answers[0]["citations"]
    second = run(["chats", "export", chat, "--format", "json", "--answer", "2"], env)
    assert json.loads(second.stdout) == answers[1:]
    beyond = run(["chats", "export", chat, "--answer", "3"], env)
    assert (beyond.returncode, beyond.stderr.strip()) == (
        2,
        "rag: no answer 3: the conversation has 2",
    )
    markdown = run(["chats", "export", chat], env).stdout
    assert markdown.startswith(f"# {FIRST}") and answers[0]["citations"][0]["quote"] in markdown


def test_unknown_chat_and_broken_history_are_one_line(env, chat, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for args in (["chats", "export", "nope"], ["ask", "--chat", "nope", FIRST]):
        failed = run(args, env)
        assert failed.returncode == 2
        assert failed.stderr.strip() == "rag: no saved conversation 'nope' (see `rag chats`)"
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 500)
    failed = run(["chats"], {**env, "RAG_HISTORY_PATH": str(broken)})
    assert failed.returncode == 2 and len(failed.stderr.strip().splitlines()) == 1
    assert "unreadable" in failed.stderr


def test_eval_feedback_replays_the_rated_answers(env, chat) -> None:  # type: ignore[no-untyped-def]
    store = ChatStore(env["RAG_HISTORY_PATH"])
    liked = store.answers(chat, None)[0]
    store.set_feedback(liked.id, "", 1, "right")
    # An answer an earlier pipeline refused, disliked: the current one answers it.
    refused = {
        **liked.answer,
        "answerable": False,
        "answer": "Not in the documents.",
        "citations": [],
    }
    old = store.add_answer(chat, FIRST, refused, {})
    store.set_feedback(old.id, "", -1, "it is in the article")
    replayed = run(["eval", "--dataset", "feedback", "--json"], env)
    assert replayed.returncode == 0, replayed.stderr
    result = json.loads(replayed.stdout)
    assert result["summary"] == {
        "liked": 1,
        "liked_changed": 0,
        "disliked": 1,
        "disliked_changed": 1,
    }
    by_id = {r["message"]: r for r in result["replays"]}
    assert not by_id[liked.id]["answer_changed"] and not by_id[liked.id]["citations_changed"]
    assert by_id[old.id]["refusal_changed"] and by_id[old.id]["after"]["answerable"]
    text = run(["eval", "--dataset", "feedback"], env).stdout
    assert "now answered" in text and "1 disliked (1 changed)" in text
