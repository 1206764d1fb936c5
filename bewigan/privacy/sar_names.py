"""Other people's names in a subject access pack's free text.

Finding them: every staff member and candidate the platform knows is looked
up by full name (any case, any spacing between the words). First names on
their own are looked up only for people connected to the subject (managers,
reports, team-mates, those who gave or received their feedback, panellists),
written with a capital, and only when no other connected person or the
subject shares that first name: "Kai said..." in a my time record is almost
always Kai Ward, whereas matching every first name in the partnership would
flag half the dictionary ("Will", "May", "Grace").

Redacting them: the exact words found are stored with each mention, and the
archive replaces those words (whole words only) in the mention's section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

REDACTED = "[name redacted]"
EXCERPT_CHARS = 70
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _tokens(text: str) -> list[str]:
    return [m.group(0).casefold() for m in WORD.finditer(text or "")]


@dataclass
class NameIndex:
    """Known people by full name (token tuples) and connected first names."""

    full: dict[tuple[str, ...], str] = field(default_factory=dict)
    first: dict[str, str] = field(default_factory=dict)
    longest: int = 2

    @classmethod
    def build(
        cls,
        *,
        everyone: Iterable[tuple[str, str]],
        connected: Iterable[tuple[str, str]],
        subject_names: Iterable[tuple[str, str]],
    ) -> NameIndex:
        """`everyone`, `connected` and `subject_names` are (first, last) pairs.
        The subject's own names are never mentions."""
        subject_names = list(subject_names)
        own_full = {tuple(_tokens(f"{first} {last}")) for first, last in subject_names}
        own_first = {first.strip() for first, _ in subject_names if first.strip()}
        index = cls()
        for first, last in everyone:
            key = tuple(_tokens(f"{first} {last}"))
            if len(key) < 2 or key in own_full:
                continue
            index.full.setdefault(key, f"{first.strip()} {last.strip()}")
            index.longest = max(index.longest, len(key))
        by_first: dict[str, set[str]] = {}
        for first, last in connected:
            first = first.strip()
            if not WORD.fullmatch(first) or first in own_first:
                continue
            key = tuple(_tokens(f"{first} {last}"))
            if len(key) < 2 or key in own_full:
                continue
            by_first.setdefault(first, set()).add(f"{first} {last.strip()}")
        index.first = {f: names.pop() for f, names in by_first.items() if len(names) == 1}
        return index

    def find(self, text: str) -> list[tuple[str, str, int, int]]:
        """(person's name, words as written, start, end) for each hit."""
        if not text:
            return []
        words = list(WORD.finditer(text))
        folded = [w.group(0).casefold() for w in words]
        hits = []
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 1, -1):
                name = self.full.get(tuple(folded[i : i + n]))
                if name:
                    start, end = words[i].start(), words[i + n - 1].end()
                    hits.append((name, text[start:end], start, end))
                    i += n
                    break
            else:
                word = words[i].group(0)
                name = self.first.get(word)
                if name:
                    hits.append((name, word, words[i].start(), words[i].end()))
                i += 1
        return hits


@dataclass
class Found:
    name: str
    section: str
    excerpt: str
    occurrences: int = 0
    forms: set[str] = field(default_factory=set)


def excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - EXCERPT_CHARS)
    right = min(len(text), end + EXCERPT_CHARS)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def free_text_fields(section: dict) -> list[str]:
    return [key for key, _label, kind in section["fields"] if kind == "free"]


def find_mentions(sections: list[dict], index: NameIndex) -> list[Found]:
    """One `Found` per (person, section), in pack order."""
    found: dict[tuple[str, str], Found] = {}
    for section in sections:
        keys = free_text_fields(section)
        if not keys:
            continue
        for record in section["records"]:
            for key in keys:
                text = record.get(key)
                if not isinstance(text, str):
                    continue
                for name, words, start, end in index.find(text):
                    item = found.get((name, section["title"]))
                    if item is None:
                        item = found[(name, section["title"])] = Found(
                            name=name, section=section["title"], excerpt=excerpt(text, start, end)
                        )
                    item.occurrences += 1
                    item.forms.add(words)
    return list(found.values())


def _pattern(forms: Iterable[str]) -> re.Pattern | None:
    forms = sorted({f for f in forms if f}, key=len, reverse=True)
    if not forms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")


def redact(sections: list[dict], forms_by_section: dict[str, set[str]]) -> int:
    """Replace the given words in each section's free text, in place.
    Returns the number of replacements."""
    count = 0
    for section in sections:
        pattern = _pattern(forms_by_section.get(section["title"], ()))
        if pattern is None:
            continue
        keys = free_text_fields(section)
        for record in section["records"]:
            for key in keys:
                text = record.get(key)
                if isinstance(text, str):
                    record[key], n = pattern.subn(REDACTED, text)
                    count += n
    return count
