"""CSV and XLSX downloads with spreadsheet formula injection neutralised.

Domain-free, so any app may use it: a cell whose text a spreadsheet would
run as a formula (it starts with = + - @, a tab or a carriage return, after
any leading spaces) gets a leading apostrophe, which spreadsheets show as
text. CSV rows are produced one at a time so a large export can stream.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value):
    """The value as a spreadsheet should hold it: None becomes "", and text
    that would be run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[bytes]:
    """Encoded CSV lines (UTF-8 with a byte-order mark, so Excel reads
    accents), one per row, for a StreamingHttpResponse."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff".encode()
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def xlsx_bytes(rows: Iterable[Iterable], *, title: str = "Sheet1") -> bytes:
    """An XLSX workbook of one sheet, written in openpyxl's write-only mode
    (constant memory per row)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([safe_cell(c) for c in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
