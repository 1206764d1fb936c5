"""Read an HR export (CSV or XLSX) into a DataFrame of strings.

Row numbers are the ones the HR person sees in their spreadsheet: the header
is row 1, so the first person is row 2. Blank lines keep their numbers.
"""

import io
import re
import zipfile

import pandas as pd
from django.conf import settings

from bewigan.core.spreadsheets import XLSX_MAX_ENTRIES, SpreadsheetTooLarge, check_xlsx_archive

from .columns import COLUMN_NAMES, HEADER_ALIASES, REQUIRED


class ImportFileError(ValueError):
    """The file itself is unusable (wrong type, unreadable, missing columns)."""


_XLSX_MAGIC = b"PK\x03\x04"
_DATE_TIME_SUFFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00$")


def _normalise_header(name) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def sniff_kind(content: bytes, filename: str) -> str:
    """'csv' or 'xlsx', judged by the content as well as the name."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not content.startswith(_XLSX_MAGIC):
            raise ImportFileError("The selected file is not a real XLSX spreadsheet")
        try:
            # Before any parser opens it: refuse an archive that would inflate
            # too far (a "zip bomb") by its declared sizes and entry count.
            check_xlsx_archive(
                content,
                max_uncompressed=settings.BEWIGAN_IMPORT_MAX_UNCOMPRESSED_BYTES,
                max_entries=XLSX_MAX_ENTRIES,
            )
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except SpreadsheetTooLarge as exc:
            raise ImportFileError(str(exc)) from exc
        except zipfile.BadZipFile as exc:
            raise ImportFileError("The selected file is not a real XLSX spreadsheet") from exc
        if "xl/workbook.xml" not in names:
            raise ImportFileError("The selected file is not a real XLSX spreadsheet")
        return "xlsx"
    if name.endswith(".csv"):
        head = content[:8192]
        if b"\x00" in head or content.startswith((_XLSX_MAGIC, b"%PDF", b"\xd0\xcf\x11\xe0")):
            raise ImportFileError(
                "The selected file is not a CSV file (save it as CSV, or upload the XLSX)"
            )
        return "csv"
    raise ImportFileError("The selected file must be a CSV or XLSX file")


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("The selected file is not a readable CSV file (save it as CSV UTF-8)")


def read_people_file(content: bytes, filename: str) -> pd.DataFrame:
    """A DataFrame with one str column per known column (missing optional
    columns are blank) and a `row` column with spreadsheet row numbers."""
    kind = sniff_kind(content, filename)
    try:
        if kind == "csv":
            text = _decode(content)
            if "\x00" in text:
                raise ImportFileError("The selected file is not a CSV file")
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False
            )
        else:
            frame = pd.read_excel(
                io.BytesIO(content), dtype=str, engine="openpyxl", keep_default_na=False
            )
    except ImportFileError:
        raise
    except Exception as exc:  # pandas raises many types for a malformed file
        raise ImportFileError(
            f"The selected file could not be read as {kind.upper()}: {exc}"
        ) from exc

    names = [_normalise_header(c) for c in frame.columns]
    frame.columns = [
        HEADER_ALIASES.get(n, n) if HEADER_ALIASES.get(n) not in names else n for n in names
    ]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ImportFileError(
            "The file must have a header row with the columns "
            + ", ".join(REQUIRED)
            + f" (missing: {', '.join(missing)})"
        )
    if frame.columns.duplicated().any():
        dupes = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise ImportFileError(f"The header row repeats the column {', '.join(dupes)}")
    ignored = [c for c in frame.columns if c not in COLUMN_NAMES]
    frame = frame.reindex(columns=COLUMN_NAMES, fill_value="")
    frame = frame.fillna("").astype(str)
    for column in COLUMN_NAMES:
        frame[column] = frame[column].str.strip()
    frame.insert(0, "row", frame.index.to_numpy() + 2)
    blank = (frame[COLUMN_NAMES] == "").all(axis=1)
    frame = frame.loc[~blank].reset_index(drop=True)
    if frame.empty:
        raise ImportFileError(
            "The file has no people in it: add one row per person below the header"
        )
    for column in ("start_date", "leaver_date"):
        frame[column] = frame[column].str.replace(_DATE_TIME_SUFFIX, r"\1", regex=True)
    frame.attrs["ignored_columns"] = ignored
    return frame
