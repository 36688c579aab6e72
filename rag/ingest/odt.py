"""ODT (OpenDocument text): headings as sections, paragraphs, lists and tables in order.

Read from content.xml with zipfile and lxml: llama-index-readers-file has no ODT reader, and
odfpy's teletype flattens the body without telling headings from paragraphs."""

from __future__ import annotations

from typing import Any

from rag.ingest.office import open_package
from rag.ingest.text import Extracted, TextBuilder, UnreadableFile, collapse
from rag.ingest.word import CELL_SEPARATOR

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _inline(element: Any) -> str:
    """A paragraph's text: spans and links inline, <text:s c="3"/> spaces, tabs, line breaks."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{{{_TEXT}}}s":
            parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1")))
        elif tag in (f"{{{_TEXT}}}tab", f"{{{_TEXT}}}line-break"):
            parts.append(" ")
        elif tag in (f"{{{_TEXT}}}note", f"{{{_OFFICE}}}annotation"):
            pass  # footnotes and comments are not part of the sentence they sit in
        else:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _walk(element: Any, builder: TextBuilder) -> None:
    for child in element:
        tag = child.tag
        if tag == f"{{{_TEXT}}}h":
            text = _inline(child)
            builder.heading(int(child.get(f"{{{_TEXT}}}outline-level", "1")), text)
            builder.paragraph(collapse(text))
        elif tag == f"{{{_TEXT}}}p":
            builder.paragraph(collapse(_inline(child)))
        elif tag == f"{{{_TEXT}}}list-item":
            items = TextBuilder()
            _walk(child, items)
            for line in items.build(None).text.split("\n\n"):
                builder.paragraph("• " + line if line.strip() else "")
        elif tag == f"{{{_TABLE}}}table-row":
            cells = [
                collapse(" ".join(_inline(p) for p in cell.iter(f"{{{_TEXT}}}p")))
                for cell in child
                if cell.tag == f"{{{_TABLE}}}table-cell"
            ]
            builder.paragraph(CELL_SEPARATOR.join(cells) if any(cells) else "")
        elif isinstance(tag, str):
            _walk(child, builder)  # sections, lists, tables, frames: their content in order


def read_odt(data: bytes) -> Extracted:
    import lxml.etree

    package = open_package(data, "ODT")
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = lxml.etree.fromstring(package.read("content.xml"), parser)
    except (KeyError, lxml.etree.XMLSyntaxError) as error:
        raise UnreadableFile("malformed ODT (content.xml missing or unreadable)") from error
    body = root.find(f"{{{_OFFICE}}}body")
    builder = TextBuilder()
    if body is not None:
        _walk(body, builder)
    built = builder.build(None)
    first = next((line[:120] for line in built.text.splitlines() if line.strip()), None)
    return Extracted(built.text, first, (), built.sections, ())
