"""Dependencies point one way (issue #16, docs/adr/001-house-style.md): the
data protection app sits on top and reads every app's personal data through
the registry; no capability imports it, and the shared core (core, values,
people, partners) imports no capability. Checked by parsing every import in
the tree, including imports inside functions, so that a cycle cannot hide."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from bewigan.core.personal_data_types import PersonalData

ROOT = Path(__file__).resolve().parents[2]
CAPABILITIES = ("recruitment", "appraisals", "surveys", "cms")
SHARED = ("bewigan/core", "bewigan/values", "bewigan/people", "bewigan/partners")
PRIVACY = "bewigan.privacy"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module_name: str | None = None) -> list[tuple[int, str]]:
    """(line, absolute module) for every import statement in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    name = module_name or _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from bewigan import privacy` imports the package too
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _python_files(top: str):
    yield from sorted((ROOT / top).rglob("*.py"))


def _offending(tops, forbidden) -> list[str]:
    problems = []
    for top in tops:
        for path in _python_files(top):
            for line, module in _imports(path):
                if any(module == f or module.startswith(f + ".") for f in forbidden):
                    problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return problems


def test_the_import_parser_sees_relative_and_nested_imports(tmp_path):
    """The check itself: an import inside a function, relative, is resolved."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from ..privacy import sar\n    import cms.models\n")
    assert [m for _line, m in _imports(probe, "bewigan.core.probe")] == [
        "bewigan.privacy",
        "bewigan.privacy.sar",
        "cms.models",
    ]


def test_no_capability_imports_privacy():
    assert _offending(CAPABILITIES, [PRIVACY]) == []


def test_the_shared_core_imports_no_capability_and_not_privacy():
    assert _offending(SHARED, [*CAPABILITIES, PRIVACY]) == []


def test_privacy_imports_no_capability():
    """It orchestrates what the apps declare (registry.py) instead."""
    assert _offending(["bewigan/privacy"], CAPABILITIES) == []


def test_privacy_has_no_function_level_imports():
    """Only AppConfig.ready() imports inside a function (signal receivers)."""
    problems = []
    for path in _python_files("bewigan/privacy"):
        tree = ast.parse(path.read_text())
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if path.name == "apps.py" and fn.name == "ready":
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno} in {fn.name}()")
    assert problems == []


@pytest.mark.parametrize("app", ["bewigan/core", "bewigan/people", *CAPABILITIES])
def test_every_app_with_personal_data_declares_it_in_one_module(app):
    module = app.replace("/", ".") + ".personal_data"
    assert (ROOT / app / "personal_data.py").exists()
    assert f"{module}.DECLARATION" in settings.BEWIGAN_PERSONAL_DATA
    declaration = import_string(f"{module}.DECLARATION")
    assert isinstance(declaration, PersonalData)
    assert declaration.app == app.rsplit("/", 1)[-1]
