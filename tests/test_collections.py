"""Collections: named corpus + index pairs beside the default one, through `rag` and the library."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from rag.collections import CollectionError, Collections
from rag.pipeline import Assistant
from rag.settings import Settings
from tests.conftest import SEED_FILE
from tests.test_cli import run

CATS = (
    "The domestic cat sleeps about sixteen hours a day. It hunts mostly at night, and its "
    "whiskers sense air currents. Kittens open their eyes after about a week."
)
NVIDIA = "Who is the CEO of Nvidia?"
SLEEP = "How long do cats sleep?"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    corpus = tmp_path / "seeds"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    return {
        **os.environ,
        "RAG_CORPUS_DIR": str(corpus),
        "RAG_INDEX_DIR": str(tmp_path / "index"),
        "RAG_COLLECTIONS_DIR": str(tmp_path / "collections"),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }


def _json(result) -> dict:  # type: ignore[no-untyped-def]
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_each_collection_cites_only_its_own_documents(env: dict[str, str]) -> None:
    created = _json(run(["collections", "create", "cats", "--json"], env))["created"]
    Path(created["corpus"], "cats.txt").write_text(CATS, encoding="utf-8")
    assert _json(run(["index", "--collection", "cats", "--json"], env))["documents"] == 1

    asked = run(["ask", "--json", "--collection", "cats", SLEEP, NVIDIA], env)
    cats, nvidia = (json.loads(line) for line in asked.stdout.splitlines())
    assert cats["answerable"] and {c["source"] for c in cats["citations"]} == {"cats.txt"}
    assert not nvidia["answerable"]  # the seed article is in the other collection
    assert {p["source"] for p in nvidia["passages"]} == {"cats.txt"}

    # The default collection is RAG_CORPUS_DIR, untouched by the other one.
    seed = _json(run(["ask", "--json", NVIDIA], env))
    assert "Jensen Huang" in seed["answer"]
    assert {c["source"] for c in seed["citations"]} == {SEED_FILE.name}

    listed = _json(run(["collections", "--json"], env))["collections"]
    assert [c["name"] for c in listed] == ["default", "cats"]
    assert not (Path(env["RAG_INDEX_DIR"]) / "documents" / "cats.txt").exists()

    # RAG_COLLECTION opens it too; --source restricts within it.
    env_cats = {**env, "RAG_COLLECTION": "cats"}
    only = _json(run(["ask", "--json", "--source", "cats.txt", SLEEP], env_cats))
    assert {c["source"] for c in only["citations"]} == {"cats.txt"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "--collection", "nope", "x"], "no collection 'nope'"),
        (["collections", "create", "../up"], "is not a collection name"),
        (["collections", "create", "default"], "already exists"),
        (["collections", "delete", "default", "--yes"], "never deleted"),
        (["ask", "--source", "missing.txt", "x"], "no indexed document 'missing.txt'"),
    ],
)
def test_collection_mistakes_are_one_line(env: dict[str, str], args, message) -> None:  # type: ignore[no-untyped-def]
    result = run(args, env)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def _collections(tmp_path: Path) -> Collections:
    corpus = tmp_path / "seeds"
    corpus.mkdir(exist_ok=True)
    return Collections(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "index", collections_dir=tmp_path / "c")
    )


def test_rename_and_delete_need_the_right_collection(tmp_path: Path) -> None:
    collections = _collections(tmp_path)
    collections.create("a")
    with pytest.raises(CollectionError, match="already exists"):
        collections.create("a")
    with pytest.raises(CollectionError, match="keeps its name"):
        collections.rename("default", "b")
    collections.rename("a", "b")
    assert collections.names() == ["default", "b"]
    for name in ("..", "a/b", ".hidden", "x" * 41, ""):
        with pytest.raises(CollectionError, match="not a collection name"):
            collections.create(name)
    with pytest.raises(CollectionError, match="no collection 'a'"):
        collections.delete("a")
    collections.delete("b")
    assert collections.names() == ["default"]
    assert (tmp_path / "seeds").is_dir()


def test_a_deleted_collection_made_again_indexes_afresh(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    collections = _collections(tmp_path)
    for text in (CATS, "Le chien aboie quand le facteur passe devant la maison."):
        info = collections.create("pets")
        (info.corpus / "pet.txt").write_text(text, encoding="utf-8")
        assistant = Assistant(collections.settings_for("pets"), embedder=embedder)
        assistant.index()
        [document] = assistant.snapshot().documents.values()
        assert document.text == text  # not the deleted collection's index
        collections.delete("pets")


def test_on_a_chroma_server_each_collection_has_its_own_chroma_collections(
    tmp_path: Path,
    embedder,  # type: ignore[no-untyped-def]
    chroma_url: str,
) -> None:
    import chromadb

    corpus = tmp_path / "seeds"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    base = Settings(
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        collections_dir=tmp_path / "c",
        chroma_url=chroma_url,
        chroma_prefix="colltest",
    )
    collections = Collections(base)
    (collections.create("cats").corpus / "cats.txt").write_text(CATS, encoding="utf-8")
    seed = Assistant(base, embedder=embedder)
    seed.index()
    cats = Assistant(collections.settings_for("cats"), embedder=embedder)
    cats.index()
    assert set(cats.snapshot().records) == {"cats.txt"}
    assert set(seed.snapshot().records) == {SEED_FILE.name}
    assert {c.source for c in cats.ask(SLEEP).citations} == {"cats.txt"}

    host, port = chroma_url.rsplit("//", 1)[1].split(":")
    client = chromadb.HttpClient(host=host, port=int(port))

    def names() -> set[str]:
        return {c.name for c in client.list_collections() if c.name.startswith("colltest")}

    assert {"colltest-cats-chunks", "colltest-cats-manifest", "colltest-chunks"} <= names()
    collections.rename("cats", "felines")
    assert "colltest-cats-chunks" not in names() and "colltest-felines-chunks" in names()
    moved = Assistant(collections.settings_for("felines"), embedder=embedder)
    assert set(moved.snapshot().records) == {"cats.txt"}
    collections.delete("felines")
    assert not any(n.startswith("colltest-felines") for n in names())
    assert "colltest-chunks" in names()  # the default collection's index stays


def test_renamed_collection_keeps_its_conversations(tmp_path: Path) -> None:
    from rag.history.store import ChatStore, default_history_path

    collections = _collections(tmp_path)
    collections.create("cats")
    store = ChatStore(default_history_path(collections.settings))
    kept = store.create("alice", "cats", SLEEP)
    other = store.create("alice", "default", NVIDIA)
    collections.rename("cats", "felines")
    assert [c.id for c in store.conversations("alice", "felines")] == [kept.id]
    assert store.conversations("alice", "cats") == []
    assert [c.id for c in store.conversations("alice", "default")] == [other.id]


def test_rename_refused_when_the_history_is_unreadable(tmp_path: Path) -> None:
    from rag.history.store import default_history_path

    collections = _collections(tmp_path)
    collections.create("cats")
    default_history_path(collections.settings).write_bytes(b"not a database" * 100)
    with pytest.raises(CollectionError, match="not renamed"):
        collections.rename("cats", "felines")
    assert collections.names() == ["default", "cats"]
