"""The named API endpoints through gradio_client, and what the server refuses to serve."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.ui.conftest import Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(server: Server):  # type: ignore[no-untyped-def]
    from gradio_client import Client

    return Client(server.url, verbose=False)


def test_ask_returns_the_cli_json(client) -> None:  # type: ignore[no-untyped-def]
    result = client.predict("Qui est le PDG d'OpenAI cité dans l'article ?", api_name="/ask")
    assert result["answerable"] is True
    assert "Sam Altman" in result["answer"]
    citation = result["citations"][0]
    assert {"n", "source", "start", "end", "quote"} <= set(citation)
    assert result["passages"] and result["generator"]


def test_ask_refuses_an_empty_question(client) -> None:  # type: ignore[no-untyped-def]
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="empty"):
        client.predict("   ", api_name="/ask")


def test_documents_and_index(client) -> None:  # type: ignore[no-untyped-def]
    documents = client.predict(api_name="/documents")["documents"]
    assert any(d["source"].startswith("000_") and d["chunks"] > 0 for d in documents)
    report = client.predict(api_name="/index")
    assert report["documents"] >= 1 and report["added"] == 0


def test_upload_through_the_api(client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import handle_file

    note = tmp_path / "api-note.md"
    note.write_text("# Tide table\n\nHigh tide at Kerlouan is at 06:12 on Monday.\n")
    bad = tmp_path / "archive.zip"
    bad.write_bytes(b"PK\x05\x06" + bytes(18))
    result = client.predict([handle_file(note), handle_file(bad)], api_name="/upload")
    assert result["saved"] == ["api-note.md"]
    assert result["rejected"][0]["file"] == "archive.zip"
    assert "not accepted" in result["rejected"][0]["reason"]
    answer = client.predict("When is high tide at Kerlouan on Monday?", api_name="/ask")
    assert answer["answerable"] and answer["citations"][0]["source"] == "api-note.md"
    report = client.predict("api-note.md", api_name="/delete")
    assert report["removed"] == 1


def test_questions_are_answered_while_an_upload_indexes(client, server: Server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import handle_file

    note = tmp_path / "ferry.txt"
    note.write_text("The Ouessant ferry leaves Le Conquet at 09:30 every morning.\n" * 40)
    upload = client.submit([handle_file(note)], api_name="/upload")
    asks = [
        client.submit("Qui est le PDG d'OpenAI cité dans l'article ?", api_name="/ask")
        for _ in range(3)
    ]
    assert all(job.result(timeout=120)["answerable"] for job in asks)
    assert upload.result(timeout=120)["saved"] == ["ferry.txt"]
    client.predict("ferry.txt", api_name="/delete")


def test_find(client) -> None:  # type: ignore[no-untyped-def]
    result = client.predict("la peur de perdre son leadership mondial", api_name="/find")
    assert result["matches"][0]["kind"] == "exact"


def test_brief(client) -> None:  # type: ignore[no-untyped-def]
    result = client.predict("", 4, api_name="/brief")
    assert result["bullets"]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_server_does_not_serve_arbitrary_or_corpus_paths(server: Server) -> None:
    seed = next(server.corpus.glob("*.txt"))
    for path in ("/etc/passwd", str(seed), str(server.index / "manifest.json")):
        assert _status(f"{server.url}/gradio_api/file={path}") in (403, 404), path


def test_ask_with_an_llm_returns_the_quoted_and_the_final_answer(llm_server: Server) -> None:
    from gradio_client import Client

    result = Client(llm_server.url, verbose=False).predict(
        "Qui est le PDG d'OpenAI cité dans l'article ?", api_name="/ask"
    )
    quoted = result["extractive"]
    assert quoted["generator"] == "extractive" and "Sam Altman" in quoted["answer"]
    assert "llm" not in quoted["timings_ms"] and "provisional" not in result
    assert result["answerable"] and result["citations"]
    if result["generator"] == "extractive":  # the LLM failed or timed out: a warning says so
        assert result["warnings"]
    else:
        assert "llm" in result["timings_ms"]
