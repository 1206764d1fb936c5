"""CSV and XLSX downloads with spreadsheet formula injection neutralised,
and a size check for XLSX uploads before anything parses them.

Domain-free, so any app may use it: a cell whose text a spreadsheet would
run as a formula (it starts with = + - @, a tab or a carriage return, after
any leading spaces) gets a leading apostrophe, which spreadsheets show as
text. CSV rows are produced one at a time so a large export can stream.
"""

import csv
import io
import zipfile
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


# An XLSX file is a zip archive. A small upload can inflate to hundreds of
# megabytes (a 300 MB sheet took a web worker 23 s to parse), so uploads are
# judged by what their archive declares before any parser opens them. The
# declared sizes are binding: Python's zipfile stops at an entry's declared
# size and rejects it (CRC) if the data would go on, so a lying header cannot
# inflate further than what was checked here.
XLSX_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
XLSX_MAX_ENTRIES = 500


class SpreadsheetTooLarge(ValueError):
    """The upload would inflate too far to read safely."""


def check_xlsx_archive(
    content: bytes,
    *,
    max_uncompressed: int = XLSX_MAX_UNCOMPRESSED_BYTES,
    max_entries: int = XLSX_MAX_ENTRIES,
) -> None:
    """Raise SpreadsheetTooLarge when the archive holds too many entries or
    declares too many uncompressed bytes; zipfile.BadZipFile when it is not a
    zip archive. Reads only the archive's directory."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        entries = archive.infolist()
        if len(entries) > max_entries:
            raise SpreadsheetTooLarge(
                f"The spreadsheet has too many parts ({len(entries)}; at most {max_entries})"
            )
        total = sum(entry.file_size for entry in entries)
        if total > max_uncompressed:
            raise SpreadsheetTooLarge(
                f"The spreadsheet is too large once unpacked ({total // 2**20} MB; at most "
                f"{max_uncompressed // 2**20} MB): split it into smaller files"
            )
