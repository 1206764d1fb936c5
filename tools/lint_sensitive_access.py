"""House rule: views never touch a sensitive model's `.objects` directly;
they go through selectors (`visible_to`, `*_get_for_user`) that scope reads
to the person asking. This lint fails `make test` when a view does."""

import re
import sys
from pathlib import Path

SENSITIVE = [
    # model names whose rows hold personal or confidential data
    "Person",
    "AuditEntry",
    "Notification",
    "Conversation",
    "PrivateNote",
    "Scorecard",
    "Candidate",
    "FeedbackResponse",
    "FeedbackRequest",
    "Answer",
    "Response",
    "Participation",
    "Idea",
    "EqualityMonitoring",
]
PATTERN = re.compile(r"\b(" + "|".join(SENSITIVE) + r")\.objects\b")
ROOT = Path(__file__).resolve().parent.parent

# A line manager's private notes are read only by their author (appraisals'
# `visible_to`). Outside the appraisals app, only these modules may touch the
# model's manager, each for the reason given; anything else fails the lint.
PRIVATE_NOTES = re.compile(r"\bPrivateNote\.objects\b")
PRIVATE_NOTE_MODULES = {
    # the person's own subject access pack: audited, the author is told
    "bewigan/privacy/sar_collect.py",
    # erasure and the retention schedule delete notes; they never read them out
    "bewigan/privacy/erasure.py",
    "bewigan/privacy/retention.py",
}
# tests/ and bench/ build notes as fixtures; appraisals owns the model.
SKIP_DIRS = {".venv", "node_modules", ".git", "tests", "bench", "appraisals"}


def private_note_problems() -> list[str]:
    problems = []
    for top in sorted(ROOT.iterdir()):
        if not top.is_dir() or top.name in SKIP_DIRS:
            continue
        for path in top.rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or relative in PRIVATE_NOTE_MODULES:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if PRIVATE_NOTES.search(line):
                    problems.append(f"{relative}:{number}: {line.strip()}")
    return problems


def main() -> int:
    problems = []
    for path in ROOT.glob("**/views*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if PATTERN.search(line) and "lint: allow" not in line:
                problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for views_pkg in ROOT.glob("**/views/*.py"):
        if ".venv" in views_pkg.parts:
            continue
        for number, line in enumerate(views_pkg.read_text().splitlines(), start=1):
            if PATTERN.search(line) and "lint: allow" not in line:
                problems.append(f"{views_pkg.relative_to(ROOT)}:{number}: {line.strip()}")
    if problems:
        print("Views must read sensitive models through selectors:")
        print("\n".join(sorted(set(problems))))
        return 1
    notes = private_note_problems()
    if notes:
        print("Private notes are read only by their author (see PRIVATE_NOTE_MODULES):")
        print("\n".join(notes))
        return 1
    print("sensitive-access lint: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
