"""Every validation rule reports the spreadsheet row number (header = row 1)
and nothing is written when any row is wrong."""

import pytest

from bewigan.people.importing.reader import ImportFileError
from bewigan.people.importing.services import people_import_file
from bewigan.people.models import Person
from tests.people.factories import PersonFactory, TeamFactory, UserFactory

from .import_files import csv_bytes, person_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organisation, other_organisation, team):
    TeamFactory(organisation=other_organisation, code="wwl-therapy", name="Therapy")
    return organisation


def check(rows, **kwargs):
    return people_import_file(
        content=csv_bytes(rows), filename="people.csv", dry_run=True, **kwargs
    )


def messages(plan):
    return [e.message for e in plan.errors]


def test_a_clean_file_has_no_errors_and_counts_new_people(world):
    plan = check([person_row(1), person_row(2, line_manager_employee_number="E00001")])
    assert plan.errors == []
    assert plan.counts["new"] == 2
    assert Person.objects.count() == 0  # dry run


def test_missing_required_values_name_the_row_and_column(world):
    plan = check([person_row(1), person_row(2, first_name="", email="")])
    assert "Row 3: first_name is missing" in messages(plan)
    assert "Row 3: email is missing" in messages(plan)
    assert all(e.row == 3 for e in plan.errors)


def test_unknown_organisation(world):
    plan = check([person_row(1, organisation="Atlantis Council")])
    assert messages(plan)[0].startswith("Row 2: organisation 'Atlantis Council' is not known")


def test_organisation_by_name_or_slug_in_any_case(world):
    plan = check([person_row(1, organisation="WIGAN COUNCIL"), person_row(2, organisation="wwl")])
    assert plan.errors == []


def test_unknown_team_code(world):
    plan = check([person_row(1), person_row(2, team_codes="reablement-wigan; no-such-team")])
    assert messages(plan) == ["Row 3: team code no-such-team is not known"]


def test_duplicate_employee_numbers_within_the_file(world):
    plan = check([person_row(1), person_row(2), person_row(3, employee_number="E00001")])
    assert messages(plan) == [
        "Row 2: employee number E00001 appears more than once for Wigan Council (rows 2, 4)",
        "Row 4: employee number E00001 appears more than once for Wigan Council (rows 2, 4)",
    ]


def test_same_employee_number_in_two_organisations_is_fine(world):
    plan = check([person_row(1), person_row(2, employee_number="E00001", organisation="wwl")])
    assert plan.errors == []


@pytest.mark.parametrize(
    "email", ["not-an-email", "a@b", "two@@wigan.gov.uk", "spaces in@wigan.gov.uk"]
)
def test_bad_emails(world, email):
    plan = check([person_row(1, email=email)])
    assert messages(plan) == [f"Row 2: email '{email.lower()}' is not a valid email address"]


def test_duplicate_emails_within_the_file_ignore_case(world):
    plan = check([person_row(1), person_row(2, email="PERSON1@wigan.gov.uk")])
    assert "Row 3: email person1@wigan.gov.uk appears more than once (rows 2, 3)" in messages(plan)


def test_email_of_another_person_in_the_database(world, staff):
    # E00001 exists with another address; the row tries to take staff's address.
    PersonFactory(
        organisation=world, employee_number="E00001", user=UserFactory(email="old@wigan.gov.uk")
    )
    plan = check([person_row(1, email="staff@wigan.gov.uk")])
    assert messages(plan) == [
        "Row 2: email staff@wigan.gov.uk already belongs to another person in BeWigan"
    ]


def test_manager_who_does_not_exist(world):
    plan = check([person_row(1), person_row(2, line_manager_employee_number="E99999")])
    assert messages(plan) == [
        "Row 3: line manager E99999 (Wigan Council) is not in the file or in BeWigan"
    ]


def test_manager_in_the_database_or_in_another_organisation(world, line_manager, outsider):
    rows = [
        person_row(1, line_manager_employee_number=line_manager.person.employee_number),
        person_row(
            2,
            line_manager_employee_number=outsider.person.employee_number,
            line_manager_organisation="wwl",
        ),
    ]
    assert check(rows).errors == []
    # Without line_manager_organisation the manager is looked for in the person's own organisation.
    plan = check([person_row(3, line_manager_employee_number=outsider.person.employee_number)])
    assert messages(plan) == [
        f"Row 2: line manager {outsider.person.employee_number} (Wigan Council) is not in the file or in BeWigan"
    ]


def test_unknown_manager_organisation(world):
    plan = check(
        [person_row(1, line_manager_employee_number="X1", line_manager_organisation="mars")]
    )
    assert "Row 2: line_manager_organisation 'mars' is not known" in messages(plan)


def test_own_line_manager(world):
    plan = check([person_row(1, line_manager_employee_number="E00001")])
    assert messages(plan) == ["Row 2: a person cannot be their own line manager"]


def test_loop_within_the_file_is_reported_on_every_row_in_it(world):
    rows = [
        person_row(1, line_manager_employee_number="E00003"),
        person_row(2, line_manager_employee_number="E00001"),
        person_row(3, line_manager_employee_number="E00002"),
        person_row(4, line_manager_employee_number="E00001"),  # hangs off the loop, not in it
    ]
    plan = check(rows)
    assert sorted(e.row for e in plan.errors) == [2, 3, 4]
    assert all("line management goes round in a loop" in m for m in messages(plan))
    assert "E00001 (row 2)" in messages(plan)[0]


def test_loop_through_people_already_in_the_database(world, staff, line_manager):
    # In the database line_manager manages staff. The file makes staff
    # line_manager's manager: a loop only visible across file and database.
    row = person_row(
        1,
        employee_number=line_manager.person.employee_number,
        email=line_manager.email,
        line_manager_employee_number=staff.person.employee_number,
    )
    plan = check([row])
    assert len(plan.errors) == 1
    assert plan.errors[0].row == 2
    assert "goes round in a loop" in plan.errors[0].message


def test_bad_dates_and_both_date_formats(world):
    rows = [
        person_row(1, start_date="31/12/2023"),
        person_row(2, start_date="2023-02-30"),
        person_row(3, leaver_date="next week"),
    ]
    assert messages(check(rows)) == [
        "Row 3: start_date '2023-02-30' is not a real date (use YYYY-MM-DD or DD/MM/YYYY)",
        "Row 4: leaver_date 'next week' is not a real date (use YYYY-MM-DD or DD/MM/YYYY)",
    ]


def test_leaver_before_start(world):
    plan = check([person_row(1, start_date="2024-04-01", leaver_date="2024-03-31")])
    assert messages(plan) == ["Row 2: leaver_date 2024-03-31 is before start_date 2024-04-01"]


def test_every_error_is_collected_not_just_the_first(world):
    rows = [person_row(n) for n in range(1, 30)]
    rows[4]["email"] = "bad"
    rows[17]["team_codes"] = "nope"
    rows[28]["start_date"] = "soon"
    assert [e.row for e in check(rows).errors] == [6, 19, 30]


def test_blank_lines_keep_spreadsheet_row_numbers(world):
    content = (
        csv_bytes([person_row(1)])
        + b"\n\n"
        + csv_bytes([person_row(2, email="bad")]).split(b"\n", 1)[1]
    )
    plan = people_import_file(content=content, filename="people.csv", dry_run=True)
    assert messages(plan) == ["Row 5: email 'bad' is not a valid email address"]


def test_xlsx_rows_are_numbered_the_same_way(world):
    content = xlsx_bytes([person_row(1), person_row(2, team_codes="nope")])
    plan = people_import_file(content=content, filename="people.xlsx", dry_run=True)
    assert messages(plan) == ["Row 3: team code nope is not known"]


def test_xlsx_dates_and_numbers(world):
    import datetime

    rows = [person_row(1, start_date=datetime.datetime(2024, 4, 1), employee_number=12345)]
    plan = people_import_file(content=xlsx_bytes(rows), filename="people.xlsx", dry_run=True)
    assert plan.errors == []
    assert plan.frame.loc[0, "employee_number"] == "12345"
    assert plan.frame.loc[0, "start"] == datetime.date(2024, 4, 1)


def test_missing_columns_refuse_the_whole_file(world):
    with pytest.raises(ImportFileError, match="missing: email"):
        people_import_file(
            content=csv_bytes(
                [person_row(1)],
                columns=["employee_number", "organisation", "first_name", "last_name"],
            ),
            filename="people.csv",
        )


def test_headers_are_forgiving_about_case_and_spaces(world):
    content = b"Employee Number,Organisation,Email,First name,Last name\nE1,wigan-council,a@wigan.gov.uk,A,B\n"
    assert people_import_file(content=content, filename="people.csv", dry_run=True).errors == []


def test_hr_admin_imports_for_their_own_organisation_only(world, hr_admin, outsider):
    plan = check([person_row(1), person_row(2, organisation="wwl")], actor=hr_admin)
    assert messages(plan) == [
        "Row 3: you can import people for Wigan Council only, not WWL NHS Trust"
    ]
    # Nor can they take over someone in another organisation by email.
    plan = check([person_row(3, email=outsider.email)], actor=hr_admin)
    assert messages(plan) == [
        "Row 2: outsider@wwl.nhs.uk works for WWL NHS Trust, which you cannot import for"
    ]


def test_a_file_with_only_a_header_is_refused(world):
    with pytest.raises(ImportFileError, match="no people in it"):
        people_import_file(content=csv_bytes([]), filename="people.csv")
