"""Build HR export files for the import tests."""

import csv
import io

import pandas as pd

from bewigan.people.importing.columns import COLUMN_NAMES


def person_row(n, **overrides) -> dict:
    row = {
        "employee_number": f"E{n:05d}",
        "organisation": "wigan-council",
        "email": f"person{n}@wigan.gov.uk",
        "first_name": "Pat",
        "last_name": f"Number{n}",
        "job_title": "Support worker",
        "team_codes": "reablement-wigan",
        "line_manager_employee_number": "",
        "line_manager_organisation": "",
        "start_date": "2024-04-01",
        "leaver_date": "",
    }
    row.update(overrides)
    return row


def csv_bytes(rows, columns=None) -> bytes:
    columns = columns or COLUMN_NAMES
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows, columns=None) -> bytes:
    out = io.BytesIO()
    pd.DataFrame(rows, columns=columns or COLUMN_NAMES).to_excel(
        out, index=False, engine="openpyxl"
    )
    return out.getvalue()


def hierarchy_rows(count, *, org="wigan-council", team="reablement-wigan", start=1) -> list[dict]:
    """`count` people: one head, ten managers, everyone else under a manager."""
    rows = []
    for i in range(count):
        n = start + i
        if i == 0:
            manager = ""
        elif i <= 10:
            manager = f"E{start:05d}"
        else:
            manager = f"E{start + 1 + (i % 10):05d}"
        rows.append(
            person_row(n, organisation=org, team_codes=team, line_manager_employee_number=manager)
        )
    return rows
