"""Tests cannot lean on each other: the conftest empties every per-process
memo before each test (tests/conftest.py, PROCESS_MEMOS), and this file
keeps that list complete and proves the reset works."""

import ast
from importlib import import_module
from pathlib import Path

import pytest

from tests.conftest import PROCESS_MEMOS, _functools_caches, reset_process_caches

ROOT = Path(__file__).resolve().parents[2]
APPS = ("bewigan", "recruitment", "appraisals", "surveys", "cms")
EMPTY_CALLS = {"dict", "set", "list", "OrderedDict", "defaultdict", "WeakKeyDictionary"}

# Module-level containers that are not memos of data, with the reason.
NOT_MEMOS = {
    # In-flight tasks' log contexts: popped when the task finishes.
    "bewigan.core.logging._task_tokens",
}


def _empty_container(node) -> bool:
    if isinstance(node, ast.Dict):
        return not node.keys
    if isinstance(node, ast.List | ast.Set):
        return not node.elts
    if isinstance(node, ast.Call):
        func = node.func
        return (func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")) in EMPTY_CALLS
    return False


def module_memos() -> set[str]:
    """Dotted names of module-level empty dicts/sets/lists in the apps.
    Compiled-SQL caches (`*_SQL`) depend only on code and the database alias,
    so they may outlive a test; functools caches are cleared without a list."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "settings" in parts:
                continue
            module = ".".join(parts)
            for node in ast.parse(path.read_text()).body:
                names = []
                if isinstance(node, ast.Assign) and _empty_container(node.value):
                    names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                elif (
                    isinstance(node, ast.AnnAssign)
                    and node.value is not None
                    and _empty_container(node.value)
                    and isinstance(node.target, ast.Name)
                ):
                    names = [node.target.id]
                found |= {
                    f"{module}.{n}" for n in names if n != "urlpatterns" and not n.endswith("_SQL")
                }
    return found - NOT_MEMOS


def test_every_process_memo_is_reset_between_tests():
    missing = module_memos() - set(PROCESS_MEMOS)
    assert not missing, (
        f"Add {sorted(missing)} to PROCESS_MEMOS in tests/conftest.py (or, if it is not a "
        "memo of data, to NOT_MEMOS here with the reason)"
    )


def test_the_reset_empties_every_memo(db):
    from functools import cache

    for dotted in PROCESS_MEMOS:
        module, _, name = dotted.rpartition(".")
        getattr(import_module(module), name)["left by an earlier test"] = (float("inf"), "x")
    from bewigan.core import work

    stale = cache(lambda: "stale")
    stale.__module__ = work.__name__  # as if defined there
    work._settings_derived = stale  # a functools cache in an app module
    _functools_caches.clear()  # found again, as after an import
    try:
        work._settings_derived()
        reset_process_caches(database=True)
        assert work._settings_derived.cache_info().currsize == 0
    finally:
        del work._settings_derived
    for dotted in PROCESS_MEMOS:
        module, _, name = dotted.rpartition(".")
        assert len(getattr(import_module(module), name)) == 0, dotted


@pytest.mark.parametrize("turn", ["first", "second"])
def test_a_memo_filled_by_one_test_is_empty_in_the_next(db, turn):
    from cms import selectors

    # Each turn finds the memo empty and fills it: whichever runs second
    # would see the first one's value if the reset were missing.
    assert ("order-independence",) not in selectors._MEMO
    selectors.memo(("order-independence",), lambda: turn)
    assert selectors._MEMO[("order-independence",)][1] == turn
