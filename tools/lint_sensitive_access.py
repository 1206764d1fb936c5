"""House rule: views never touch a sensitive model's rows directly; they go
through selectors (`visible_to`, `*_get_for_user`) that scope reads to the
person asking. This lint fails `make test` when one does.

Which models are sensitive is said on the model itself: a class attribute
`sensitive = True` in the app's models (issue #16), read here from the
source, so a new personal-data model is covered the moment it is marked.

What counts as touching rows, in views (`views*.py`, `views/`, `admin_views.py`),
Wagtail hooks (`wagtail_hooks.py`) and Django admin modules (`admin.py`):
- `<Model>.objects` or `<Model>._default_manager`;
- `get_object_or_404(<Model>, ...)` and `get_list_or_404(<Model>, ...)`;
- in wagtail_hooks and admin: registering the model (`admin.register(<Model>)`,
  `admin.site.register(<Model>)`, `register_snippet(<Model>)`) or a viewset
  or ModelAdmin with `model = <Model>`: an admin listing bypasses the
  selectors' scoping for everyone with access, superusers included.
A line ending in `# lint: allow (reason)` is allowed.

A line manager's private notes are read only by their author: outside the
appraisals app, no module touches the model's manager at all (the subject
access pack reads them through appraisals/personal_data.py).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "node_modules", ".git", "tests", "bench", "migrations", "frontend"}
MANAGERS = {"objects", "_default_manager"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
REGISTER = {"register", "register_snippet"}
ALLOW = "lint: allow"


def _python_files(root: Path):
    for path in sorted(root.rglob("*.py")):
        if not SKIP_DIRS.isdisjoint(path.relative_to(root).parts):
            continue
        yield path


def sensitive_models(root: Path = ROOT) -> set[str]:
    """Names of model classes whose body says `sensitive = True`."""
    names = set()
    for path in _python_files(root):
        if path.name != "models.py" and "models" not in path.parent.name:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ClassDef) and _marked(node):
                names.add(node.name)
    return names


def _marked(cls: ast.ClassDef) -> bool:
    for stmt in cls.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "sensitive" for t in stmt.targets)
            and isinstance(stmt.value, ast.Constant)
            and stmt.value.value is True
        ):
            return True
    return False


def _kind(path: Path) -> str | None:
    name = path.name
    if name.startswith("views") or path.parent.name == "views" or name == "admin_views.py":
        return "view"
    if name == "wagtail_hooks.py":
        return "wagtail"
    if name == "admin.py":
        return "admin"
    return None


def _name(node) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):  # models.Person
        return node.attr
    return None


def problems_in(path: Path, sensitive: set[str], root: Path = ROOT) -> list[str]:
    kind = _kind(path)
    if kind is None:
        return []
    source = path.read_text()
    lines = source.splitlines()
    found = []

    def flag(node, what):
        line = lines[node.lineno - 1]
        if ALLOW not in line:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {what}: {line.strip()}")

    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            if _name(node.value) in sensitive:
                flag(node, f"{_name(node.value)}.{node.attr}")
        elif isinstance(node, ast.Call):
            func = _name(node.func)
            first = _name(node.args[0]) if node.args else None
            if func in SHORTCUTS and first in sensitive:
                flag(node, f"{func}({first})")
            elif kind != "view" and func in REGISTER and first in sensitive:
                flag(node, f"admin registration of {first}")
            # @admin.register(Model) as a decorator is a Call too
        elif kind != "view" and isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "model" for t in stmt.targets)
                    and _name(stmt.value) in sensitive
                ):
                    flag(stmt, f"admin listing of {_name(stmt.value)}")
    return found


def private_note_problems(root: Path = ROOT) -> list[str]:
    """Outside appraisals, nothing touches PrivateNote's manager."""
    problems = []
    for path in _python_files(root):
        relative = path.relative_to(root)
        if relative.parts[0] == "appraisals":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in MANAGERS
                and _name(node.value) == "PrivateNote"
            ):
                problems.append(f"{relative}:{node.lineno}: PrivateNote.{node.attr}")
    return problems


def run(root: Path = ROOT) -> tuple[set[str], list[str], list[str]]:
    sensitive = sensitive_models(root)
    problems = []
    for path in _python_files(root):
        problems += problems_in(path, sensitive, root)
    return sensitive, sorted(set(problems)), private_note_problems(root)


def main() -> int:
    sensitive, problems, notes = run()
    if not sensitive:
        print("No model is marked `sensitive = True`: the lint would check nothing.")
        return 1
    if problems:
        print("Views, Wagtail hooks and admins must read sensitive models through selectors:")
        print("\n".join(problems))
        return 1
    if notes:
        print("Private notes are read only by their author (through the appraisals app):")
        print("\n".join(notes))
        return 1
    print(f"sensitive-access lint: ok ({len(sensitive)} sensitive models)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
