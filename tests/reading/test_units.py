"""Quotable units: table rows with their header, commands with the sentence that introduces
them, and never a heading or a pointer to another page; read from real HTML."""

from __future__ import annotations

from pathlib import Path

from rag.chunking import chunk_document
from rag.generation.base import Evidence
from rag.ingest.loader import load_document
from rag.reading.units import is_pointer, passage_units

PAGE = """<html><head><title>Archive</title></head><body>
<h2>Archive commands</h2>
<p>The following commands are available for the archive command:</p>
<table>
<tr><th>Option</th><th>Long Option</th><th>Purpose</th></tr>
<tr><td>-c</td><td>--create</td><td>Create a new archive containing specified files.</td></tr>
<tr><td>-u</td><td>--update</td><td>Add files to existing archive if they have changed.</td></tr>
</table>
<h2>Running tests</h2>
<p>Then you can run your tests under coverage with:</p>
<pre>$ coverage run -m pytest arg1 arg2 arg3</pre>
<p>See Installation for more details.</p>
</body></html>"""


def _units(tmp_path: Path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    document = load_document(tmp_path / "page.html", tmp_path)
    document, _ = chunk_document(document, 10_000)
    evidence = [
        Evidence(1, document.source, start, end, document.text[start:end], 0.5, kind)
        for start, end in document.sentences
        for kind in [_kind(document, start, end)]
    ]
    return document, passage_units(document, evidence)


def _kind(document, start: int, end: int) -> str:
    from rag.retrieval.sentence_kind import sentence_kind

    return sentence_kind(document, start, end)


def test_a_table_row_is_a_unit_read_with_its_header_and_section(tmp_path):
    _, units = _units(tmp_path)
    row = next(u for u in units if "--update" in u.text)
    assert row.text == "-u | --update | Add files to existing archive if they have changed."
    assert "Option | Long Option | Purpose" in row.context
    assert "Archive commands" in row.context


def test_a_command_is_quoted_with_the_sentence_that_introduces_it(tmp_path):
    document, units = _units(tmp_path)
    command = next(u for u in units if "coverage run" in u.text)
    assert [p.text for p in command.parts] == [
        "Then you can run your tests under coverage with:",
        "$ coverage run -m pytest arg1 arg2 arg3",
    ]
    for part in command.parts:  # every part is the document's text at its offsets
        assert document.text[part.start : part.end] == part.text


def test_headings_and_pointers_are_never_units(tmp_path):
    _, units = _units(tmp_path)
    texts = [u.text for u in units]
    assert not any(t in ("Archive commands", "Running tests") for t in texts)
    assert not any(t.startswith("See Installation") for t in texts)


def test_a_pointer_is_short_and_sends_the_reader_elsewhere():
    assert is_pointer("See Coverage summary: coverage report for more information.")
    assert is_pointer("Voir aussi git(1).")
    long = (
        "See that the default value of the setting is 99, which means that every directory "
        "in the report is shown as a package whatever its depth."
    )
    assert not is_pointer(long)
    assert not is_pointer("Seeds are stored in the database.")
