"""Validate an HR export against the database and work out what would change.

Everything here is a read: `build_plan` returns an `ImportPlan` holding every
row error (with spreadsheet row numbers) and, when there are none, the
frames that `apply.apply_plan` writes. Validation is vectorised with pandas;
the database is read with a fixed number of queries (chunked `IN` lists), so
the query count does not grow with the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model

from bewigan.core.db import chunks

from ..models import Neighbourhood, Organisation, Person, Team, TeamMembership

EMAIL_PATTERN = (
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
MAX_LENGTHS = {
    "employee_number": 30,
    "first_name": 150,
    "last_name": 150,
    "job_title": 150,
    "email": 254,
}
MAX_LISTED_ROWS = 5


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportPlan:
    errors: list[RowError]
    rows: int
    organisations: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    full_organisation: bool = False
    today: datetime.date | None = None
    counts: dict = field(default_factory=dict)
    # For apply_plan (only when there are no errors):
    frame: pd.DataFrame | None = None
    memberships: pd.DataFrame | None = None
    absent: pd.DataFrame | None = None
    # Who changes and what, for the preview only (never kept after it).
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> int:
        return (
            self.counts.get("new", 0)
            + self.counts.get("changed", 0)
            + self.counts.get("absent_leavers", 0)
        )

    def summary(self, *, max_errors: int = 1000, details: bool = False) -> dict:
        """JSON-safe counts and errors, for the preview page and the audit log.
        `details` adds who changes and what (names): for the preview only."""
        extra = {"details": self.details} if details and self.details else {}
        return {
            **extra,
            "rows": self.rows,
            "counts": self.counts,
            "changes": self.changes,
            "organisations": self.organisations,
            "ignored_columns": self.ignored_columns,
            "full_organisation": self.full_organisation,
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[:max_errors]],
        }


def _rows_text(rows) -> str:
    rows = sorted(int(r) for r in rows)
    shown = ", ".join(str(r) for r in rows[:MAX_LISTED_ROWS])
    if len(rows) > MAX_LISTED_ROWS:
        shown += f" and {len(rows) - MAX_LISTED_ROWS} more"
    return shown


class _Errors:
    def __init__(self):
        self.items: list[RowError] = []
        self.bad_rows: set[int] = set()

    def add(self, row: int, column: str, text: str):
        self.items.append(RowError(int(row), column, f"Row {int(row)}: {text}"))
        self.bad_rows.add(int(row))

    def add_many(self, frame: pd.DataFrame, mask, column: str, make_text):
        """One error per row where `mask` is true; `make_text(row_series)`."""
        for _, r in frame.loc[mask].iterrows():
            self.add(r["row"], column, make_text(r))

    def sorted(self) -> list[RowError]:
        return sorted(self.items, key=lambda e: (e.row, e.column, e.message))


def _parse_dates(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(dates as datetime64 with NaT for blanks, mask of unparseable values)."""
    iso = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    uk = pd.to_datetime(series, format="%d/%m/%Y", errors="coerce")
    parsed = iso.fillna(uk)
    in_range = parsed.isna() | ((parsed.dt.year >= 1900) & (parsed.dt.year <= 2100))
    parsed = parsed.where(in_range)
    bad = (series != "") & parsed.isna()
    return parsed, bad


def _date_or_none(value):
    return None if pd.isna(value) else value.date()


def _key(text: str) -> str:
    """How names are compared: case, spacing, "&" and full stops do not matter."""
    text = str(text).lower().replace("&", " and ").replace(".", "")
    return " ".join(text.split())


def organisation_lookup(organisations: list[dict]) -> dict[str, int]:
    """Every way a file may name an organisation: slug, name, short name and
    the aliases configured in the admin. A name two organisations share
    matches neither (it is reported as unknown rather than guessed)."""
    lookup: dict[str, int] = {}
    clashes: set[str] = set()
    for o in organisations:
        names = [o["slug"], o["name"], o.get("short_name") or ""]
        names += (o.get("aliases") or "").splitlines()
        for name in names:
            key = _key(name)
            if not key:
                continue
            if lookup.get(key, o["id"]) != o["id"]:
                clashes.add(key)
            lookup[key] = o["id"]
    for key in clashes:
        del lookup[key]
    return lookup


def _lookup(values: dict[str, int], series: pd.Series) -> pd.Series:
    return series.map(_key).map(values)


def build_plan(
    frame: pd.DataFrame,
    *,
    allowed_organisation_ids: set[int] | None,
    full_organisation: bool = False,
    today: datetime.date,
) -> ImportPlan:
    ignored = list(frame.attrs.get("ignored_columns", []))
    df = frame.copy()
    errors = _Errors()

    # --- Organisations ---------------------------------------------------
    organisations = list(Organisation.objects.values("id", "slug", "name", "short_name", "aliases"))
    org_lookup = organisation_lookup(organisations)
    org_names = {o["id"]: o["name"] for o in organisations}
    org_slugs = {o["id"]: o["slug"] for o in organisations}

    for column in ("employee_number", "organisation", "email", "first_name", "last_name"):
        errors.add_many(df, df[column] == "", column, lambda r, c=column: f"{c} is missing")
    for column, limit in MAX_LENGTHS.items():
        errors.add_many(
            df,
            df[column].str.len() > limit,
            column,
            lambda r, c=column, n=limit: f"{c} is longer than {n} characters",
        )

    df["org_id"] = _lookup(org_lookup, df["organisation"]).astype("Int64")
    unknown_org = (df["organisation"] != "") & df["org_id"].isna()
    errors.add_many(
        df,
        unknown_org,
        "organisation",
        lambda r: (
            f"organisation '{r['organisation']}' is not known (use its name, short name or "
            f"slug, such as '{organisations[0]['slug'] if organisations else 'wigan-council'}', "
            "or add it to the organisation's other names in the admin)"
        ),
    )
    if allowed_organisation_ids is not None:
        allowed_names = (
            ", ".join(sorted(org_names[i] for i in allowed_organisation_ids)) or "no organisation"
        )
        not_allowed = df["org_id"].notna() & ~df["org_id"].isin(list(allowed_organisation_ids))
        errors.add_many(
            df,
            not_allowed,
            "organisation",
            lambda r: (
                f"you can import people for {allowed_names} only, not {org_names[int(r['org_id'])]}"
            ),
        )

    # --- Emails ----------------------------------------------------------
    df["email"] = df["email"].str.lower()
    bad_email = (df["email"] != "") & ~df["email"].str.fullmatch(EMAIL_PATTERN)
    errors.add_many(
        df, bad_email, "email", lambda r: f"email '{r['email']}' is not a valid email address"
    )
    good_email = (df["email"] != "") & ~bad_email
    dup_email = good_email & df["email"].duplicated(keep=False)
    if dup_email.any():
        rows_by_email = df.loc[dup_email].groupby("email")["row"].apply(list).to_dict()
        errors.add_many(
            df,
            dup_email,
            "email",
            lambda r: (
                f"email {r['email']} appears more than once (rows {_rows_text(rows_by_email[r['email']])})"
            ),
        )

    # --- Employee numbers ------------------------------------------------
    keyed = df["org_id"].notna() & (df["employee_number"] != "")
    dup_key = keyed & df.duplicated(subset=["org_id", "employee_number"], keep=False)
    if dup_key.any():
        rows_by_key = (
            df.loc[dup_key].groupby(["org_id", "employee_number"])["row"].apply(list).to_dict()
        )
        errors.add_many(
            df,
            dup_key,
            "employee_number",
            lambda r: (
                f"employee number {r['employee_number']} appears more than once for "
                f"{org_names[int(r['org_id'])]} (rows {_rows_text(rows_by_key[(r['org_id'], r['employee_number'])])})"
            ),
        )

    # --- Dates -------------------------------------------------------------
    for column in ("start_date", "leaver_date"):
        parsed, bad = _parse_dates(df[column])
        df[f"{column}_parsed"] = parsed
        errors.add_many(
            df,
            bad,
            column,
            lambda r, c=column: f"{c} '{r[c]}' is not a real date (use YYYY-MM-DD or DD/MM/YYYY)",
        )
    before_start = df["leaver_date_parsed"].notna() & df["start_date_parsed"].notna()
    before_start &= df["leaver_date_parsed"] < df["start_date_parsed"]
    errors.add_many(
        df,
        before_start,
        "leaver_date",
        lambda r: f"leaver_date {r['leaver_date']} is before start_date {r['start_date']}",
    )

    # --- Teams: by code or by name (in the row's organisation first), narrowed
    # by the neighbourhood column when a name is shared --------------------
    resolve_team, hood_lookup = _team_resolver()
    df["hood_id"] = df["neighbourhood"].map(_key).map(hood_lookup)
    unknown_hood = (df["neighbourhood"] != "") & df["hood_id"].isna()
    errors.add_many(
        df,
        unknown_hood,
        "neighbourhood",
        lambda r: f"neighbourhood '{r['neighbourhood']}' is not known (use its name)",
    )
    codes = df["team_codes"].str.split(";").explode().str.strip()
    codes = codes[codes.notna() & (codes != "")]
    resolved = [
        resolve_team(value, df.at[index, "org_id"], df.at[index, "hood_id"])
        for index, value in zip(codes.index.tolist(), codes.tolist(), strict=True)
    ]
    team_ids = pd.Series([team for team, _ in resolved], index=codes.index, dtype="float64")
    for index, (_, problem) in zip(codes.index.tolist(), resolved, strict=True):
        if problem:
            errors.add(df.at[index, "row"], "team_codes", problem)
    known = team_ids.dropna().astype("int64")
    teams_by_index: dict[int, dict] = {}
    for index, team_id in zip(known.index.tolist(), known.tolist(), strict=True):
        teams_by_index.setdefault(index, {})[team_id] = None  # ordered, no repeats
    df["teams"] = pd.Series(
        [tuple(teams_by_index.get(i, ())) for i in df.index], index=df.index, dtype=object
    )

    # --- Existing people: match by (organisation, employee number), then email
    file_org_ids = {int(i) for i in df["org_id"].dropna().unique()}
    df["mgr_org_id"] = df["org_id"]
    has_mgr_org = df["line_manager_organisation"] != ""
    df.loc[has_mgr_org, "mgr_org_id"] = _lookup(
        org_lookup, df.loc[has_mgr_org, "line_manager_organisation"]
    )
    bad_mgr_org = has_mgr_org & df["mgr_org_id"].isna()
    errors.add_many(
        df,
        bad_mgr_org,
        "line_manager_organisation",
        lambda r: f"line_manager_organisation '{r['line_manager_organisation']}' is not known",
    )
    mgr_org_ids = {
        int(i)
        for i in df.loc[df["line_manager_employee_number"] != "", "mgr_org_id"].dropna().unique()
    }
    existing = _load_existing(
        org_ids=file_org_ids | mgr_org_ids, emails=df.loc[good_email, "email"].unique()
    )
    users_by_email, user_has_person = _users_by_email(df.loc[good_email, "email"].unique())

    key_index = {
        (int(o), str(e)): int(p)
        for o, e, p in zip(
            existing["organisation_id"], existing["employee_number"], existing["id"], strict=True
        )
    }
    person_by_email = {
        str(e): int(p)
        for e, p in zip(existing["email"].tolist(), existing["id"].tolist(), strict=True)
    }
    df["person_id"] = pd.array(
        [
            key_index.get((int(o), e)) if not pd.isna(o) else None
            for o, e in zip(df["org_id"].tolist(), df["employee_number"].tolist(), strict=True)
        ],
        dtype="Int64",
    )
    by_email = df["person_id"].isna() & good_email
    df.loc[by_email, "person_id"] = df.loc[by_email, "email"].map(person_by_email)
    df["person_id"] = df["person_id"].astype("Int64")
    df["matched_by"] = np.where(df["person_id"].isna(), "", "key")
    df.loc[by_email & df["person_id"].notna(), "matched_by"] = "email"

    ex = existing.set_index("id")
    matched = df["person_id"].notna()
    # The row's email belongs to someone else's account.
    owner_user = df["email"].map(users_by_email).astype("Int64")
    owner_has_person = df["email"].map(user_has_person).fillna(False).astype(bool)
    matched_user = (
        df["person_id"].map(ex["user_id"]).astype("Int64") if len(ex) else owner_user * pd.NA
    )
    email_taken = (
        good_email
        & owner_user.notna()
        & ((matched & (owner_user != matched_user).fillna(True)) | (~matched & owner_has_person))
    ).astype(bool)
    errors.add_many(
        df,
        email_taken,
        "email",
        lambda r: f"email {r['email']} already belongs to another person in BeWigan",
    )
    # An account without a staff profile (say, made by an admin) gets one.
    df["reuse_user_id"] = owner_user.where(~matched & ~owner_has_person)
    dup_person = matched & df["person_id"].duplicated(keep=False)
    if dup_person.any():
        rows_by_person = df.loc[dup_person].groupby("person_id")["row"].apply(list).to_dict()
        errors.add_many(
            df,
            dup_person,
            "employee_number",
            lambda r: (
                "this row and another match the same person by employee number or email "
                f"(rows {_rows_text(rows_by_person[r['person_id']])})"
            ),
        )
    if allowed_organisation_ids is not None and matched.any():
        current_org = df.loc[matched, "person_id"].map(ex["organisation_id"])
        moved_out = current_org.notna() & ~current_org.isin(list(allowed_organisation_ids))
        moved_out = moved_out.reindex(df.index, fill_value=False)
        errors.add_many(
            df,
            moved_out,
            "email",
            lambda r: (
                f"{r['email']} works for {org_names[int(ex.at[r['person_id'], 'organisation_id'])]}, "
                "which you cannot import for"
            ),
        )

    # --- Line managers --------------------------------------------------------
    file_key_row = {
        (int(o), e): int(row)
        for o, e, row in zip(
            df["org_id"].tolist(), df["employee_number"].tolist(), df["row"].tolist(), strict=True
        )
        if not pd.isna(o) and e != ""
    }
    row_person = {
        int(r): (None if pd.isna(p) else int(p))
        for r, p in zip(df["row"].tolist(), df["person_id"].tolist(), strict=True)
    }
    # Graph nodes: existing people by their id, new rows as -row.

    def node_of_row(row):
        person = row_person[row]
        return person if person is not None else -row

    manager_nodes = []
    for mgr_number, mgr_org in zip(
        df["line_manager_employee_number"].tolist(), df["mgr_org_id"].tolist(), strict=True
    ):
        if mgr_number == "" or pd.isna(mgr_org):
            manager_nodes.append(None)
            continue
        key = (int(mgr_org), mgr_number)
        if key in file_key_row:
            manager_nodes.append(node_of_row(file_key_row[key]))
        elif key in key_index:
            manager_nodes.append(key_index[key])
        else:
            manager_nodes.append(np.nan)
    df["manager_node"] = (
        pd.array(manager_nodes, dtype="Int64") if manager_nodes else pd.array([], dtype="Int64")
    )
    has_mgr = (df["line_manager_employee_number"] != "") & df["mgr_org_id"].notna()
    no_such_mgr = has_mgr & df["manager_node"].isna()
    errors.add_many(
        df,
        no_such_mgr,
        "line_manager_employee_number",
        lambda r: (
            f"line manager {r['line_manager_employee_number']} ({org_names[int(r['mgr_org_id'])]}) "
            "is not in the file or in BeWigan"
        ),
    )
    df["node"] = [node_of_row(int(r)) for r in df["row"]]
    self_managed = df["manager_node"].notna() & (df["manager_node"] == df["node"])
    errors.add_many(
        df,
        self_managed,
        "line_manager_employee_number",
        lambda r: "a person cannot be their own line manager",
    )
    _check_cycles(df, errors)

    # --- What would change -------------------------------------------------
    plan = ImportPlan(
        errors=errors.sorted(),
        rows=len(df),
        organisations=sorted(org_slugs[i] for i in file_org_ids),
        ignored_columns=ignored,
        full_organisation=full_organisation,
        today=today,
    )
    if errors.items:
        plan.counts = {"rows": len(df)}
        return plan

    memberships = _load_memberships(df.loc[matched, "person_id"].astype(int).tolist())
    _diff(df, ex, memberships, today)
    absent = _absent(existing, df, file_org_ids, today) if full_organisation else existing.iloc[0:0]
    plan.frame = df
    plan.memberships = memberships
    plan.absent = absent
    plan.details = _details(df, ex, memberships, absent, org_names)
    plan.counts = {
        "rows": len(df),
        "new": int((df["status"] == "new").sum()),
        "changed": int((df["status"] == "changed").sum()),
        "unchanged": int((df["status"] == "unchanged").sum()),
        "leavers": int(df["becomes_leaver"].sum()) + len(absent),
        "absent_leavers": len(absent),
    }
    return plan


MAX_DETAILS = 300


def _fmt(value) -> str:
    if value is None or (not isinstance(value, str | tuple | list) and pd.isna(value)):
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%-d %b %Y")
    return str(value)


def _details(df, ex, memberships, absent, org_names) -> dict:
    """Who changes and what ("Job title: Support worker → Team leader"), who is
    new and who leaves: the first MAX_DETAILS of each, in file order. A fixed
    number of queries (team names, managers' names)."""
    team_names = dict(Team.objects.values_list("id", "name"))
    changed = df.loc[df["status"] == "changed"].head(MAX_DETAILS)
    manager_ids = set(changed["manager_node"].dropna().astype(int).tolist())
    manager_ids |= {int(m) for m in ex["line_manager_id"].dropna().tolist()} if len(ex) else set()
    manager_ids = {m for m in manager_ids if m > 0}
    names = {}
    for chunk in chunks(sorted(manager_ids)):
        for pk, first, last in Person.objects.filter(pk__in=chunk).values_list(
            "id", "user__first_name", "user__last_name"
        ):
            names[pk] = f"{first} {last}".strip()
    row_names = {
        -int(r): f"{f} {last}".strip()
        for r, f, last in zip(df["row"], df["first_name"], df["last_name"], strict=True)
    }
    current_teams: dict[int, list[int]] = {}
    if len(memberships):
        ordered = memberships.sort_values(["person_id", "is_primary"], ascending=[True, False])
        for pid, tid in zip(ordered["person_id"], ordered["team_id"], strict=True):
            current_teams.setdefault(int(pid), []).append(int(tid))

    def manager_name(node):
        if node is None or pd.isna(node):
            return ""
        node = int(node)
        return names.get(node) or row_names.get(node, "")

    people = []
    for _, r in changed.iterrows():
        pid = int(r["person_id"])
        cur = ex.loc[pid]
        pairs = [
            (
                "Name",
                f"{cur['first_name']} {cur['last_name']}",
                f"{r['first_name']} {r['last_name']}",
            ),
            ("Email", cur["email"], r["email"]),
            ("Job title", cur["job_title"], r["job_title"]),
            (
                "Organisation",
                org_names.get(int(cur["organisation_id"]), ""),
                org_names.get(int(r["org_id"]), ""),
            ),
            ("Employee number", cur["employee_number"], r["employee_number"]),
            (
                "Line manager",
                manager_name(cur["line_manager_id"]),
                manager_name(r["manager_node"]),
            ),
            (
                "Teams",
                "; ".join(team_names.get(t, "") for t in current_teams.get(pid, [])),
                "; ".join(team_names.get(t, "") for t in r["teams"]),
            ),
            ("Start date", _fmt(cur["start_date"]), _fmt(r["start"])),
            ("Leaving date", _fmt(cur["leaver_date"]), _fmt(r["leaver"])),
            (
                "Can sign in",
                "yes" if bool(cur["is_active"]) else "no",
                "yes" if bool(r["is_active"]) else "no",
            ),
        ]
        what = [
            {"field": label, "old": _fmt(old) or "(none)", "new": _fmt(new) or "(none)"}
            for label, old, new in pairs
            if _fmt(old) != _fmt(new)
        ]
        if what:
            people.append(
                {
                    "row": int(r["row"]),
                    "name": f"{r['first_name']} {r['last_name']}",
                    "changes": what,
                }
            )
    new_rows = df.loc[df["status"] == "new"].head(MAX_DETAILS)
    new = [
        {
            "row": int(r["row"]),
            "name": f"{r['first_name']} {r['last_name']}",
            "organisation": org_names.get(int(r["org_id"]), ""),
            "job_title": r["job_title"],
            "teams": "; ".join(team_names.get(t, "") for t in r["teams"]),
        }
        for _, r in new_rows.iterrows()
    ]
    leavers = [
        {
            "name": f"{r['first_name']} {r['last_name']}",
            "organisation": org_names.get(int(r["organisation_id"]), ""),
        }
        for _, r in absent.head(MAX_DETAILS).iterrows()
    ]
    return {"changed": people, "new": new, "absent": leavers, "limit": MAX_DETAILS}


def _team_resolver():
    """(resolve(value, org_id, hood_id) -> (team id or None, problem or None),
    neighbourhood lookup). Two queries; answers are memoised per distinct
    (value, organisation, neighbourhood), so a 10,000-row file costs little."""
    hoods = list(Neighbourhood.objects.values_list("id", "name", "slug"))
    hood_lookup = {}
    for pk, name, slug in hoods:
        hood_lookup[_key(name)] = pk
        hood_lookup[_key(slug)] = pk
    hood_names = {pk: name for pk, name, _ in hoods}
    teams = list(
        Team.objects.values_list("id", "code", "name", "organisation_id", "neighbourhood_id")
    )
    by_code = {code.lower(): pk for pk, code, *_ in teams}
    codes = {pk: code for pk, code, *_ in teams}
    by_name: dict[str, list[tuple]] = {}
    for team in teams:
        by_name.setdefault(_key(team[2]), []).append(team)
    memo: dict[tuple, tuple] = {}

    def resolve(value: str, org_id, hood_id):
        org_id = None if pd.isna(org_id) else int(org_id)
        hood_id = None if pd.isna(hood_id) else int(hood_id)
        memo_key = (value.lower(), org_id, hood_id)
        if memo_key in memo:
            return memo[memo_key]
        if value.lower() in by_code:
            answer = (by_code[value.lower()], None)
        else:
            name = _key(value)
            candidates = list(by_name.get(name, []))
            if hood_id is not None:
                hood = _key(hood_names[hood_id])
                for joined in (f"{name} – {hood}", f"{name} - {hood}", f"{name} {hood}"):
                    candidates += by_name.get(joined, [])
                candidates = [t for t in candidates if t[4] == hood_id]
            own = [t for t in candidates if t[3] == org_id]
            if len(own) == 1 or (len(own) > 1 and len(candidates) == len(own)):
                candidates = own
            if len(candidates) == 1:
                answer = (candidates[0][0], None)
            elif not candidates:
                where = f" in {hood_names[hood_id]}" if hood_id is not None else ""
                answer = (None, f"team code {value}{where} is not known")
            else:
                shown = ", ".join(sorted(codes[t[0]] for t in candidates)[:5])
                answer = (
                    None,
                    f"team {value} matches more than one team ({shown}): use the team code "
                    "or add a Neighbourhood column",
                )
        memo[memo_key] = answer
        return answer

    return resolve, hood_lookup


def _users_by_email(emails) -> tuple[dict[str, int], dict[str, bool]]:
    """Accounts with these emails, and whether each has a staff profile."""
    User = get_user_model()
    found, has_person = {}, {}
    for chunk in chunks(emails):
        for pk, email, person_id in User.objects.filter(email__in=chunk).values_list(
            "id", "email", "person"
        ):
            found[email.lower()] = pk
            has_person[email.lower()] = person_id is not None
    return found, has_person


EXISTING_FIELDS = {
    "id": "id",
    "user_id": "user_id",
    "organisation_id": "organisation_id",
    "employee_number": "employee_number",
    "job_title": "job_title",
    "line_manager_id": "line_manager_id",
    "start_date": "start_date",
    "leaver_date": "leaver_date",
    "email": "user__email",
    "first_name": "user__first_name",
    "last_name": "user__last_name",
    "is_active": "user__is_active",
}


def _load_existing(*, org_ids: set[int], emails) -> pd.DataFrame:
    """People of the file's (and managers') organisations, plus anyone whose
    email appears in the file (they may be moving organisation)."""
    values = list(EXISTING_FIELDS.values())
    rows = list(Person.objects.filter(organisation_id__in=org_ids).values_list(*values))
    seen = {r[0] for r in rows}
    for chunk in chunks(emails):
        for r in Person.objects.filter(user__email__in=chunk).values_list(*values):
            if r[0] not in seen:
                rows.append(r)
                seen.add(r[0])
    frame = pd.DataFrame(rows, columns=list(EXISTING_FIELDS))
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in EXISTING_FIELDS})
    frame["email"] = frame["email"].astype(str).str.lower()
    frame["employee_number"] = frame["employee_number"].astype(str)
    return frame


def _load_memberships(person_ids: list[int]) -> pd.DataFrame:
    rows = []
    for chunk in chunks(person_ids):
        rows.extend(
            TeamMembership.objects.filter(person_id__in=chunk, end_date__isnull=True).values_list(
                "id", "person_id", "team_id", "is_primary", "start_date", "role"
            )
        )
    return pd.DataFrame(
        rows, columns=["id", "person_id", "team_id", "is_primary", "start_date", "role"]
    )


def _check_cycles(df: pd.DataFrame, errors: _Errors):
    """Follow each file row's line up the resulting hierarchy (the file's
    managers for its rows, the database's for everyone else). Any loop that
    passes through a row of the file is an error on each of its rows."""
    parent: dict[int, int] = dict(
        Person.objects.exclude(line_manager=None).values_list("id", "line_manager_id")
    )
    row_of_node: dict[int, int] = {}
    for node, mgr, row in zip(
        df["node"].tolist(), df["manager_node"].tolist(), df["row"].tolist(), strict=True
    ):
        row_of_node[int(node)] = int(row)
        parent.pop(int(node), None)
        if not pd.isna(mgr):
            parent[int(node)] = int(mgr)
    label = {
        int(n): f"{e} (row {int(r)})"
        for n, e, r in zip(
            df["node"].tolist(), df["employee_number"].tolist(), df["row"].tolist(), strict=True
        )
    }
    state: dict[int, int] = {}  # 1 = on the current path, 2 = finished
    for start in row_of_node:
        if state.get(start):
            continue
        path, node = [], start
        while node is not None and not state.get(node):
            state[node] = 1
            path.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1:
            loop = path[path.index(node) :]
            # A one-person loop is reported as "their own line manager".
            if len(loop) > 1 and any(n in row_of_node for n in loop):
                text = " → ".join(label.get(n, f"person {n}") for n in [*loop, loop[0]])
                for n in loop:
                    if n in row_of_node:
                        errors.add(
                            row_of_node[n],
                            "line_manager_employee_number",
                            f"line management goes round in a loop: {text}",
                        )
        for n in path:
            state[n] = 2


def _team_signature(primary, team_ids) -> str:
    return f"{primary}|{','.join(str(t) for t in sorted(team_ids))}"


def _diff(df: pd.DataFrame, ex: pd.DataFrame, memberships: pd.DataFrame, today: datetime.date):
    """Add the desired values, and a `status` (new / changed / unchanged) per row."""
    df["start"] = [_date_or_none(v) for v in df["start_date_parsed"]]
    df["leaver"] = [_date_or_none(v) for v in df["leaver_date_parsed"]]
    df["has_left"] = [d is not None and d <= today for d in df["leaver"]]
    # People who have left belong to no team: their memberships close.
    df.loc[df["has_left"], "teams"] = pd.Series(
        [()] * int(df["has_left"].sum()), dtype=object
    ).values
    df["team_sig"] = [_team_signature(t[0] if t else None, t) for t in df["teams"]]

    matched = df["person_id"].notna()
    pid = df["person_id"]
    cur = ex.reindex(pid.astype("float").to_numpy())
    cur.index = df.index

    if len(memberships):
        primary = (
            memberships.loc[memberships["is_primary"]]
            .groupby("person_id")["team_id"]
            .agg(lambda s: s.iloc[0] if len(s) == 1 else "several")
        )
        teams = memberships.groupby("person_id")["team_id"].agg(tuple)
        sig = {p: _team_signature(primary.get(p), t) for p, t in teams.items()}
    else:
        sig = {}
    cur_sig = pid.map(
        lambda p: sig.get(int(p), _team_signature(None, ())) if not pd.isna(p) else ""
    )

    # The desired manager, as a database id where it exists already.
    manager_existing = df["manager_node"].where(df["manager_node"] > 0)
    cur_mgr = cur["line_manager_id"].astype("Int64")

    def differs(a, b) -> pd.Series:
        a = pd.Series(a, index=df.index).astype(object)
        b = pd.Series(b, index=df.index).astype(object)
        return ~((a.isna() & b.isna()) | (a == b)).fillna(False).astype(bool)

    cur_left = cur["leaver_date"].map(lambda d: d is not None and not pd.isna(d) and d <= today)
    desired_active = pd.Series(np.where(df["has_left"], False, True), index=df.index)
    # Only the import's own leaver handling re-activates an account.
    keep_inactive = (
        ~df["has_left"] & ~cur_left.fillna(False).astype(bool) & cur["is_active"].eq(False)
    )
    desired_active[keep_inactive] = False
    df["is_active"] = desired_active

    person_changed = (
        differs(df["org_id"].astype("Int64"), cur["organisation_id"].astype("Int64"))
        | differs(df["employee_number"], cur["employee_number"])
        | differs(df["job_title"], cur["job_title"])
        | differs(df["start"], cur["start_date"])
        | differs(df["leaver"], cur["leaver_date"])
        | differs(manager_existing.astype("Int64"), cur_mgr)
        | (df["manager_node"].notna() & (df["manager_node"] < 0))
    )
    user_changed = (
        differs(df["first_name"], cur["first_name"])
        | differs(df["last_name"], cur["last_name"])
        | differs(df["email"], cur["email"])
        | differs(df["is_active"], cur["is_active"])
    )
    teams_changed = df["team_sig"] != cur_sig
    df["person_changed"] = person_changed & matched
    df["user_changed"] = user_changed & matched
    df["teams_changed"] = teams_changed & matched
    df["status"] = np.where(
        ~matched,
        "new",
        np.where(person_changed | user_changed | teams_changed, "changed", "unchanged"),
    )
    df["becomes_leaver"] = matched & df["has_left"] & ~cur_left.fillna(False).astype(bool)
    df["cur_user_id"] = cur["user_id"].astype("Int64")


def _absent(
    existing: pd.DataFrame, df: pd.DataFrame, org_ids: set[int], today: datetime.date
) -> pd.DataFrame:
    """People of the file's organisations that the (full) file leaves out and
    who have not already left."""
    if existing.empty:
        return existing
    in_orgs = existing["organisation_id"].isin(list(org_ids))
    listed = existing["id"].isin(df["person_id"].dropna().astype(int).tolist())
    left = existing["leaver_date"].map(lambda d: d is not None and not pd.isna(d) and d <= today)
    gone = in_orgs & ~listed & ~(left & ~existing["is_active"].astype(bool))
    return existing.loc[gone].copy()
