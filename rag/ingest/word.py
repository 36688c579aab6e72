"""DOCX: paragraphs, lists and tables in document order, heading styles as sections.

Read with python-docx directly: llama-index-readers-file's DocxReader goes through docx2txt,
which flattens the document to text and loses the heading styles our sections come from."""

from __future__ import annotations

import io
import re
from typing import Any

from rag.ingest.office import open_package
from rag.ingest.text import Extracted, TextBuilder, UnreadableFile, collapse

CELL_SEPARATOR = " | "


def _heading_level(style: str) -> int:
    """Word's built-in "Title" and "Heading N" styles (localised names keep the number)."""
    if style == "Title":
        return 1
    found = re.match(r"(?:Heading|Titre|Überschrift|Título)\s*(\d)$", style)
    return int(found.group(1)) if found else 0


def _is_list_item(paragraph: Any) -> bool:
    """A bulleted or numbered paragraph: a list style, or numbering set on the paragraph."""
    style = paragraph.style.name if paragraph.style is not None else ""
    if style.startswith(("List", "Liste")):
        return True
    properties = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


def _row_line(row: Any) -> str:
    """A table row as one line, its cells apart; a merged cell is read once."""
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(collapse(cell.text))
    return CELL_SEPARATOR.join(cells) if any(cells) else ""


def read_docx(data: bytes) -> Extracted:
    import docx
    from docx.table import Table

    open_package(data, "DOCX")
    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError) as error:
        raise UnreadableFile(f"malformed DOCX ({error})") from error
    builder = TextBuilder()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:  # each row a line of its own: "Paquet | Version"
                builder.paragraph(_row_line(row))
            continue
        style = block.style.name if block.style is not None else ""
        level = _heading_level(style or "")
        if level and block.text.strip():
            builder.heading(level, block.text)
        text = block.text
        if _is_list_item(block) and text.strip():
            text = "• " + text.strip()  # the list reads as one, item by item
        builder.paragraph(text)
    built = builder.build(document.core_properties.title or None)
    first_line = next((line[:120] for line in built.text.splitlines() if line.strip()), None)
    return Extracted(built.text, built.title or first_line, (), built.sections, ())
