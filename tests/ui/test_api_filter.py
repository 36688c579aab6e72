"""The /ask endpoint's document filter through gradio_client."""

from __future__ import annotations

import pytest

from tests.conftest import SEED_FILE
from tests.ui.conftest import Server

pytestmark = pytest.mark.slow

NVIDIA = "Who is the CEO of Nvidia?"


def test_ask_only_these_documents(server: Server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    client = Client(server.url, verbose=False)
    note = tmp_path / "filter-note.txt"
    note.write_text("The Ouessant ferry leaves Brest at eight every morning.\n", encoding="utf-8")
    uploaded = client.predict([handle_file(str(note))], api_name="/upload")
    assert uploaded["saved"] == ["filter-note.txt"]

    seed = client.predict(NVIDIA, [SEED_FILE.name], api_name="/ask")
    assert "Jensen Huang" in seed["answer"]
    assert {c["source"] for c in seed["citations"]} == {SEED_FILE.name}

    note_only = client.predict(NVIDIA, ["filter-note.txt"], api_name="/ask")
    assert not note_only["answerable"] and not note_only["citations"]
    assert {p["source"] for p in note_only["passages"]} == {"filter-note.txt"}

    everything = client.predict(NVIDIA, api_name="/ask")  # sources left out: every document
    assert everything["answerable"]

    with pytest.raises(AppError, match=r"no indexed document 'missing\.txt'"):
        client.predict(NVIDIA, ["missing.txt"], api_name="/ask")
