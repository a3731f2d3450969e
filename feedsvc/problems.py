"""A scan's problems summed up for people: warnings counted by kind, skipped files grouped.

A site's root holds many files that are not articles (pages, layouts, includes, data
files, a README) and a first scan of a migrated site warns about the same thing in many
posts; one line per kind or reason says it once, `feedsvc check` shows each file's own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .errors import without_value
from .model import FileProblem

# A warning's kind, by the words readers and normalize write it with: the first that
# matches names it. Patterns are anchored or plain words (linear on any message).
WARNING_KINDS = (
    ("date-fallback", re.compile(r".*?: using (?:the file name's date|the updated date|the time the file)")),
    ("future-update", re.compile(r"updated date .* is in the future")),
    ("unknown-liquid-tag", re.compile(r"(?:line \d+: )?unknown Liquid tag")),
    ("missing-include", re.compile(r"(?:line \d+: )?Liquid include ")),
    ("liquid-error", re.compile(r"Liquid could not render")),
    ("unknown-shortcode", re.compile(r"(?:line \d+: )?shortcode '.*' is not one of Hugo's built-ins")),
    ("rst", re.compile(r"reStructuredText: ")),
    ("no-title", re.compile(r"no title")),
    ("encoding", re.compile(r"not UTF-8|removed characters")),
    ("link", re.compile(r"link|more link problems|media |image: |\d+ enclosures|id is ")),
)
MAX_NAMED = 3  # files named in a group of skipped files


def warning_kind(message: str) -> str:
    """The kind of one warning ("metadata" for a field's value that was ignored, else "other"),
    from our words only: the value a warning quotes is left out."""
    problem = without_value(message)
    for kind, pattern in WARNING_KINDS:
        if pattern.match(problem):
            return kind
    return "metadata" if problem.endswith("ignored") else "other"


def warning_counts(warnings: Iterable[FileProblem]) -> str:
    """`3 date-fallback, 2 unknown-shortcode`: warnings by kind, most frequent first."""
    counts = Counter(warning_kind(problem.reason) for problem in warnings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{count} {kind}" for kind, count in ordered)


def skipped_groups(skipped: Iterable[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(reason, paths) of files left out, one group per reason, in the order of their first path."""
    groups: dict[str, list[str]] = {}
    for path, reason in skipped:
        groups.setdefault(reason, []).append(path)
    ordered = ((reason, sorted(paths)) for reason, paths in groups.items())
    return sorted(ordered, key=lambda group: group[1][0])


def group_line(reason: str, paths: list[str]) -> str:
    """`<reason>: <n> files (a, b, c, ...)`, for a group of more than one file."""
    named = ", ".join(paths[:MAX_NAMED]) + (", ..." if len(paths) > MAX_NAMED else "")
    return f"{reason}: {len(paths)} files ({named})"
