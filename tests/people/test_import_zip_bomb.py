"""An XLSX upload that would inflate too far is refused by its declared
sizes and entry count, before any parser opens it."""

import io
import time
import zipfile

import pandas as pd
import pytest

from bewigan.core.spreadsheets import SpreadsheetTooLarge, check_xlsx_archive
from bewigan.people.importing.reader import ImportFileError, read_people_file

from .import_files import hierarchy_rows, xlsx_bytes
from .test_import_views import upload_file

MB = 1024 * 1024


def inflating_xlsx(sheet_mb: int) -> bytes:
    """A real workbook whose sheet is padded to `sheet_mb` MB of XML that
    deflates to almost nothing (100 MB becomes ~100 KB)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(hierarchy_rows(3))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, source.read(item))
                continue
            sheet = source.read(item)
            head, tail = sheet.split(b"</sheetData>")
            with bomb.open(item.filename, "w", force_zip64=True) as entry:
                entry.write(head)
                padding = b"<!-- padding -->" * (MB // 16)
                for _ in range(sheet_mb):
                    entry.write(padding)
                entry.write(b"</sheetData>" + tail)
    return out.getvalue()


def many_entries_xlsx(count: int) -> bytes:
    """A real workbook plus `count` empty parts."""
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(hierarchy_rows(3))))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        for n in range(count):
            archive.writestr(f"xl/media/image{n}.png", b"")
    return out.getvalue()


@pytest.fixture
def no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(pd, "read_excel", refuse)


@pytest.fixture(scope="module")
def bomb():
    """Over the 64 MB limit (the reported file inflated to 300 MB)."""
    return inflating_xlsx(100)


def test_a_sheet_that_inflates_to_100_mb_is_refused_before_parsing(bomb, no_parsing):
    assert len(bomb) < 2 * MB  # small enough to upload
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="too large once unpacked"):
        read_people_file(bomb, "people.xlsx")
    assert time.monotonic() - started < 1


def test_too_many_entries_are_refused_before_parsing(no_parsing):
    with pytest.raises(ImportFileError, match="too many parts"):
        read_people_file(many_entries_xlsx(600), "people.xlsx")


def test_the_limits_are_on_the_declared_sizes():
    small = xlsx_bytes(hierarchy_rows(3))
    check_xlsx_archive(small)  # a normal workbook passes
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(small)).infolist())
    check_xlsx_archive(small, max_uncompressed=declared)
    with pytest.raises(SpreadsheetTooLarge):
        check_xlsx_archive(small, max_uncompressed=declared - 1)


def test_an_ordinary_workbook_is_still_read():
    frame = read_people_file(xlsx_bytes(hierarchy_rows(3)), "people.xlsx")
    assert len(frame) == 3


def test_the_upload_page_says_why(client_for, hr_admin, bomb, no_parsing):
    response = upload_file(client_for(hr_admin), bomb, name="people.xlsx")
    assert response.status_code == 200
    assert "too large once unpacked" in response.content.decode()
