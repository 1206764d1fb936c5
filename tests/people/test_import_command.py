"""`manage.py import_people`, and the shipped example files against the demo data."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bewigan.people.models import Person

from .import_files import csv_bytes, hierarchy_rows

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture
def people_csv(tmp_path, team):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(hierarchy_rows(12)))
    return path


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_people", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_dry_run_reports_and_changes_nothing(people_csv):
    out = run(people_csv, "--dry-run")
    assert "Would import 12 change(s) from 12 row(s): 12 new" in out
    assert not Person.objects.filter(user__email__startswith="person").exists()


def test_import_then_reimport_reports_no_changes(people_csv):
    assert "Imported 12 change(s)" in run(people_csv)
    assert Person.objects.filter(user__email__startswith="person").count() == 12
    assert "Imported 0 change(s) from 12 row(s): 0 new, 0 changed, 12 unchanged" in run(people_csv)


def test_errors_fail_the_command_with_row_numbers(tmp_path, team, capsys):
    rows = hierarchy_rows(4)
    rows[2]["email"] = "nope"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_people", str(path))
    assert "Row 4: email 'nope' is not a valid email address" in capsys.readouterr().err
    assert not Person.objects.filter(user__email__startswith="person").exists()


def test_missing_or_unreadable_files(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "missing.csv")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("employee_number\n")
    with pytest.raises(CommandError, match="not a real XLSX"):
        run(fake)


def test_the_example_files_import_cleanly_against_the_demo_data():
    from bewigan.people.demo_data import seed

    seed()
    before = Person.objects.count()
    out = run(EXAMPLES / "people-example.csv")
    assert "Imported 8 change(s) from 8 row(s): 8 new" in out
    assert Person.objects.count() == before + 8
    ada = Person.objects.get(user__email="ada.lovelace@wigan.gov.uk")
    assert Person.objects.get(user__email="mary.seacole@wigan.gov.uk").line_manager == ada
    tim = Person.objects.get(user__email="tim.berners-lee@wigan.gov.uk")
    assert tim.line_manager.organisation.slug == "wwl"
    assert not Person.objects.get(user__email="florence.nightingale@wigan.gov.uk").user.is_active
    # The XLSX holds the same people: importing it changes nothing.
    assert "Imported 0 change(s) from 8 row(s)" in run(EXAMPLES / "people-example.xlsx")
