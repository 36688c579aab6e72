"""CSV and XLSX: each row one line "header: value; …" so that a quoted row says what its
numbers are; the sheet and row are the locator ("Sheet1, row 12").

XLSX through openpyxl in read-only mode (rows streamed, so a 10,000-row sheet stays small in
memory); CSV through the standard library. llama-index-readers-file's PandasCSVReader and
PandasExcelReader join the cells without their headers and lose the row numbers."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from rag.ingest.office import open_package
from rag.ingest.text import Extracted, TextBuilder, UnreadableFile, collapse


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 3.0 is how a spreadsheet stores the 3 it shows
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return collapse(str(value))


def _line(headers: Sequence[str], values: Sequence[str]) -> str:
    parts = []
    for index, value in enumerate(values):
        if value:
            header = headers[index] if index < len(headers) and headers[index] else ""
            parts.append(f"{header or f'column {index + 1}'}: {value}")
    return "; ".join(parts)


def add_table(
    builder: TextBuilder,
    names: list[str],
    rows: Iterable[tuple[int, Sequence[Any]]],
    where: str,
) -> None:
    """Rows ``(row number, cells)`` of one table; the first non-empty row is its header."""
    headers: list[str] | None = None
    for number, raw in rows:
        values = [_cell(v) for v in raw]
        if not any(values):
            continue
        if headers is None:
            headers = values
            continue
        builder.page()
        names.append(f"{where}row {number}")
        builder.paragraph(_line(headers, values))


def read_xlsx(data: bytes) -> Extracted:
    import openpyxl

    open_package(data, "XLSX")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises KeyError, ValueError, its own exceptions
        raise UnreadableFile(f"malformed XLSX ({type(error).__name__})") from error
    builder = TextBuilder()
    names: list[str] = []
    try:
        for sheet in workbook.worksheets:
            builder.heading(1, sheet.title)
            rows = enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
            add_table(builder, names, rows, f"{sheet.title}, ")
    except Exception as error:
        raise UnreadableFile(f"malformed XLSX ({type(error).__name__})") from error
    finally:
        workbook.close()
    return _extracted(builder, names, workbook.properties.title)


def read_csv(data: bytes) -> Extracted:
    from rag.ingest.readers import decode_text

    text = decode_text(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel  # one column, or too little to tell: commas
    builder = TextBuilder()
    names: list[str] = []
    try:
        reader = csv.reader(io.StringIO(text), dialect)
        add_table(builder, names, ((reader.line_num, row) for row in reader), "")
    except csv.Error as error:
        raise UnreadableFile(f"malformed CSV ({error})") from error
    return _extracted(builder, names, None)


def _extracted(builder: TextBuilder, names: list[str], title: str | None) -> Extracted:
    built = builder.build(title or None)
    # A sheet without rows opened a section at the end; only those with rows are kept.
    sections = tuple(s for s in built.sections if s[0] < len(built.text))
    return Extracted(built.text, built.title, built.pages, sections, (), "row", tuple(names))
