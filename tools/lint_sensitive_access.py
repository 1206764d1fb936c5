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
    print("sensitive-access lint: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
