"""The history store on a real SQLite file: migration, ownership, feedback, bad files, export."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest

from rag.history import ChatStore, HistoryUnavailable
from rag.history.codec import answer_from_json, changed_sources, cited_hashes
from rag.history.export import export
from rag.history.schema import SCHEMA_VERSION

QUESTION = "Qui est le PDG d'OpenAI cité dans l'article ?"


@pytest.fixture(scope="module")
def answer(seed_assistant):  # type: ignore[no-untyped-def]
    return seed_assistant.ask(QUESTION)


def test_an_answer_round_trips_exactly(tmp_path, answer, seed_assistant) -> None:  # type: ignore[no-untyped-def]
    store = ChatStore(tmp_path / "h.sqlite3")
    chat = store.create("", "default", QUESTION)
    hashes = cited_hashes(answer, seed_assistant.snapshot())
    assert set(hashes) == {c.source for c in answer.citations}
    stored = store.add_answer(chat.id, QUESTION, answer.to_json(), hashes)
    # A new store object over the same file: what a restarted server reads.
    again = ChatStore(tmp_path / "h.sqlite3").answers(chat.id, "")
    assert [a.id for a in again] == [stored.id]
    assert again[0].answer == answer.to_json()
    assert answer_from_json(again[0].answer, hashes).to_json() == answer.to_json()
    assert changed_sources(again[0].document_hashes, seed_assistant.snapshot()) == frozenset()


def test_newest_first_rename_delete_and_owners(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = ChatStore(tmp_path / "h.sqlite3")
    first = store.create("alice", "default", "first question")
    second = store.create("alice", "default", "second question")
    theirs = store.create("bob", "default", "bob's question")
    store.create("alice", "other", "another collection")
    store.add_answer(first.id, "again", {"answer": "x"}, {})  # answering moves it to the top
    assert [c.id for c in store.conversations("alice")] == [first.id, second.id]
    assert [c.id for c in store.conversations("bob")] == [theirs.id]
    assert store.get(theirs.id, "alice") is None and store.answers(theirs.id, "alice") == []
    assert not store.rename(theirs.id, "alice", "mine now") and not store.delete(theirs.id, "alice")
    assert store.rename(second.id, "alice", "  renamed  ")
    assert store.get(second.id, "alice").title == "renamed"  # type: ignore[union-attr]
    assert store.delete(first.id, "alice")
    assert store.get(first.id, None) is None and store.answers(first.id, None) == []
    assert len(store.conversations(None, None)) == 3


def test_feedback_is_kept_and_only_by_the_owner(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = ChatStore(tmp_path / "h.sqlite3")
    chat = store.create("alice", "default", "q")
    stored = store.add_answer(chat.id, "q", {"answer": "a"}, {})
    assert not store.set_feedback(stored.id, "bob", -1, "not mine")
    assert store.set_feedback(stored.id, "alice", -1, " wrong person ")
    rated = ChatStore(tmp_path / "h.sqlite3").rated()
    assert [(r.id, r.feedback, r.comment) for r in rated] == [(stored.id, -1, "wrong person")]
    with pytest.raises(ValueError):
        store.set_feedback(stored.id, "alice", 5)


def test_a_first_version_file_is_migrated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rag.history.schema import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.execute("INSERT INTO conversations VALUES ('old', '', 'kept', 1.0, 1.0)")
    db.execute(
        "INSERT INTO messages (conversation_id, question, answer, created) "
        """VALUES ('old', 'q', '{"answer": "a"}', 1.0)"""
    )
    db.commit()
    db.close()
    store = ChatStore(path)
    assert [(c.id, c.collection) for c in store.conversations("")] == [("old", "default")]
    (old,) = store.answers("old", "")
    assert (old.answer, old.model, old.feedback) == ({"answer": "a"}, "", None)
    db = sqlite3.connect(path)
    assert db.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_corrupted_file_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(HistoryUnavailable, match=r"unreadable.*history is off") as caught:
        ChatStore(path)
    assert "\n" not in str(caught.value)


def test_a_locked_file_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "h.sqlite3"
    store = ChatStore(path, timeout_s=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryUnavailable, match="locked by another program"):
            store.create("", "default", "q")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.create("", "default", "q").title == "q"


def test_writes_from_many_threads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = ChatStore(tmp_path / "h.sqlite3")
    chat = store.create("", "default", "q")
    errors: list[Exception] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                store.add_answer(chat.id, f"{n}-{i}", {"answer": str(i)}, {})
        except Exception as error:  # pragma: no cover - the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(store.answers(chat.id, "")) == 80


def test_markdown_export_quotes_are_verbatim_at_their_offsets(
    tmp_path, answer, seed_assistant
) -> None:  # type: ignore[no-untyped-def]
    store = ChatStore(tmp_path / "h.sqlite3")
    chat = store.create("", "default", QUESTION)
    snapshot = seed_assistant.snapshot()
    stored = store.add_answer(chat.id, QUESTION, answer.to_json(), cited_hashes(answer, snapshot))
    markdown = export(chat, [stored], "md")
    for citation in answer.citations:
        document = snapshot.document_by_source(citation.source)
        assert document.text[citation.start : citation.end] == citation.quote
        quoted = "\n".join("> " + line if line else ">" for line in citation.quote.split("\n"))
        assert quoted in markdown
        assert f"characters {citation.start}–{citation.end}" in markdown
        assert document.content_hash in markdown
    assert answer.generator in markdown
    assert json.loads(export(chat, [stored], "json")) == [answer.to_json()]


def test_the_export_names_the_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rag.history.codec import model_label
    from rag.settings import Settings

    settings = Settings(bundled_model="qwen2.5-coder-0.5b", llm_model="mistral-small")
    assert model_label(settings, "llamacpp") == "qwen2.5-coder-0.5b"
    assert model_label(settings, "openai") == "mistral-small"
    assert model_label(settings, "extractive") == ""
    store = ChatStore(tmp_path / "h.sqlite3")
    chat = store.create("", "default", "q")
    answer = {"question": "q", "answer": "a", "answerable": True, "generator": "llamacpp"}
    stored = store.add_answer(chat.id, "q", answer, {}, model_label(settings, "llamacpp"))
    assert "Generator: llamacpp, model qwen2.5-coder-0.5b" in export(chat, [stored], "md")


def test_an_llm_answer_round_trips_with_its_quoted_answer_and_flags(answer) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from rag.types import AnswerSentence, Citation, Closest, Decline

    cited = replace(answer.citations[0], page=3, page_end=4, section="1 › Intro")
    written = replace(
        answer,
        text="Sam Altman is OpenAI's CEO [1]. He testified.",
        generator="llamacpp",
        citations=(
            cited,
            Citation(2, "other.pdf", 5, 9, "quote", page=2, ocr=True),
            Citation(3, "deck.pptx", 0, 4, "plan", page=4, locator="slide 4"),
        ),
        sentences=(
            AnswerSentence("Sam Altman is OpenAI's CEO [1].", (1,), True),
            AnswerSentence("He testified [2].", (2,), False, "partly"),
            AnswerSentence("He left.", (), False),
        ),
        standalone_question="Who is OpenAI's CEO?",
        warnings=("1 sentence(s) not supported by the cited passages",),
        extractive=answer,
    )
    declined = replace(answer, answerable=False, not_an_answer=True, text="Not what was asked.")
    closest = (Closest("seed.txt", 0, 9, "Sam Altman", 0.71),)
    why = Decline("date", False, ("Vitré",), 0.12, 0.31, closest)
    explained = replace(answer, answerable=False, text="Not in the documents.", decline=why)
    for shown in (written, declined, explained):
        data = shown.to_json()
        assert answer_from_json(json.loads(json.dumps(data))).to_json() == data


def test_citations_of_a_changed_document_are_marked_not_linked(answer) -> None:  # type: ignore[no-untyped-def]
    from ui.render import answer_html

    source = answer.citations[0].source
    assert 'class="rag-cite"' in answer_html(answer)
    marked = answer_html(answer, frozenset({source}))
    assert 'class="rag-cite"' not in marked and "#cite?" not in marked
    assert "document changed since" in marked and answer.citations[0].quote[:40] in marked
