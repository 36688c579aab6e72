"""PPTX: each slide's text (titles, text boxes, tables, groups) and its speaker notes; the
slide number is the locator ("slide 4") and the slide title its section.

Read with python-pptx directly: llama-index-readers-file's PptxReader keeps the slide number
but merges notes and tables into one string per slide and pulls in image captioning models."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from rag.ingest.office import open_package
from rag.ingest.text import Extracted, TextBuilder, UnreadableFile, collapse
from rag.ingest.word import CELL_SEPARATOR


def _shape_texts(shapes: Any) -> Iterator[str]:
    """Paragraphs of every shape in reading order (top to bottom, then left to right)."""
    ordered = sorted(shapes, key=lambda s: ((s.top or 0), (s.left or 0)))
    for shape in ordered:
        if shape.shape_type is not None and hasattr(shape, "shapes"):  # a group
            yield from _shape_texts(shape.shapes)
        elif getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                yield CELL_SEPARATOR.join(collapse(cell.text) for cell in row.cells)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                yield paragraph.text


def _title(slide: Any) -> str:
    shape = slide.shapes.title
    return collapse(shape.text_frame.text) if shape is not None and shape.has_text_frame else ""


def read_pptx(data: bytes) -> Extracted:
    import pptx

    open_package(data, "PPTX")
    try:
        presentation = pptx.Presentation(io.BytesIO(data))
    except (KeyError, ValueError) as error:
        raise UnreadableFile(f"malformed PPTX ({error})") from error
    builder = TextBuilder()
    for slide in presentation.slides:
        builder.page()
        title = _title(slide)
        if title:
            builder.heading(1, title)
        for text in _shape_texts(slide.shapes):
            builder.paragraph(text)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            for paragraph in slide.notes_slide.notes_text_frame.paragraphs:
                builder.paragraph(paragraph.text)
    built = builder.build(presentation.core_properties.title or None)
    first = next((collapse(line) for line in built.text.splitlines() if line.strip()), None)
    return Extracted(
        built.text, built.title or first, built.pages, built.sections, (), page_label="slide"
    )
