"""An attacker who reads every published figure of a wave and knows how the
partnership is organised (which team sits in which organisation and
neighbourhood), and tries to pin down a group smaller than the minimum.

Independent of the code under test: exact rational arithmetic, and an
exhaustive search over every set of cells, not just the groups the product
publishes. A set of cells is pinned down exactly when its indicator vector
is a linear combination of the published groups' vectors (every cell in
this model holds at least one respondent, so non-negativity adds nothing
the linear algebra misses)."""

from __future__ import annotations

import datetime
import itertools
from fractions import Fraction

from django.db import connection
from django.utils import timezone

# Tables the tests themselves write to when they create the people who answer.
PEOPLE_TABLES = {"core_user", "people_person", "people_teammembership", "account_emailaddress"}


def _reduce(rows: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Row-reduced basis of `rows` as (pivot column, row) pairs."""
    basis: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        vector = list(row)
        for pivot, base in basis:
            if vector[pivot]:
                factor = vector[pivot]
                vector = [v - factor * b for v, b in zip(vector, base, strict=True)]
        pivot = next((i for i, v in enumerate(vector) if v), None)
        if pivot is None:
            continue
        lead = vector[pivot]
        vector = [v / lead for v in vector]
        reduced = []
        for p, base in basis:
            if base[pivot]:
                factor = base[pivot]
                base = [b - factor * v for b, v in zip(base, vector, strict=True)]
            reduced.append((p, base))
        basis = [*reduced, (pivot, vector)]
    return basis


def _in_span(basis, vector: list[Fraction]) -> bool:
    vector = list(vector)
    for pivot, base in basis:
        if vector[pivot]:
            factor = vector[pivot]
            vector = [v - factor * b for v, b in zip(vector, base, strict=True)]
    return not any(vector)


def pinned_small_groups(
    members: dict[str, set[int]], counts: list[int], published: set[str], minimum: int
) -> list[tuple[int, ...]]:
    """Every set of cells with between 1 and minimum - 1 respondents whose
    size (and so whose answers) follows from the published groups.

    members: scope -> the cells it covers; counts: respondents per cell."""
    cells = range(len(counts))
    rows = [
        [Fraction(1 if c in members[scope] else 0) for c in cells] for scope in sorted(published)
    ]
    basis = _reduce(rows)
    found = []
    for size in range(1, minimum):
        for combo in itertools.combinations(cells, size):
            total = sum(counts[c] for c in combo)
            if not 0 < total < minimum:
                continue
            vector = [Fraction(1 if c in combo else 0) for c in cells]
            if _in_span(basis, vector):
                found.append(combo)
    return found


def comment_atoms(
    members: dict[str, set[int]], counts: list[int], listed: set[str]
) -> list[tuple[set[int], int]]:
    """The finest groups a reader can isolate by matching comments across the
    listed comment pages (intersections and differences of lists), with
    their respondents. Only groups inside at least one list are returned."""
    atoms = [set(range(len(counts)))]
    for scope in sorted(listed):
        inside = members[scope]
        atoms = [part for atom in atoms for part in (atom & inside, atom - inside) if part]
    covered = set().union(*(members[s] for s in listed)) if listed else set()
    return [(atom, sum(counts[c] for c in atom)) for atom in atoms if atom <= covered]


def assert_no_time_written(start, end, *, skip=PEOPLE_TABLES) -> None:
    """Read every column of every table and fail on any date-time between
    `start` and two days after `end` (a cache expiry is a time plus a TTL)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in skip:
                continue
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str) and len(value) >= 19 and value[4] == "-":
                        try:
                            value = datetime.datetime.fromisoformat(value)
                        except ValueError:
                            continue
                    if not isinstance(value, datetime.datetime):
                        continue
                    if timezone.is_naive(value):
                        value = timezone.make_aware(value, datetime.UTC)
                    late = end + datetime.timedelta(days=2)
                    assert not (start <= value <= late), (table, column, value, row[0])
