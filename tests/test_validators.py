"""Strict validation (W3C feedvalidator, RFC 4287 schema, RSS 2.0, JSON Feed 1.1) of every feed kind.

Runs ../shared/tools/validate_feed.py when it and a copy of the W3C validator are present;
skips with the reason otherwise (a user's clone has no ../shared).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASE_URL, write

SHARED = Path(__file__).resolve().parents[2] / "shared"
VALIDATOR = SHARED / "tools" / "validate_feed.py"
W3C_COPIES = [
    Path(os.environ.get("FEEDVALIDATOR_DIR", "/tmp/feedvalidator")),
    SHARED.parent / ".mirror" / "w3c+feedvalidator" / "repo",
]


def validator_or_skip() -> Path:
    if not VALIDATOR.is_file():
        pytest.skip(f"strict validator not found at {VALIDATOR}")
    if not any(path.exists() for path in W3C_COPIES):
        pytest.skip("no copy of the W3C feedvalidator on this machine (see validate_feed.py)")
    return VALIDATOR


# The strict validator clones the W3C code beside itself; run it from the project's folder
# where one is there (as CI has it), else from here.
MAIN = SHARED.parent / "main" if (SHARED.parent / "main").is_dir() else None


def assert_strictly_valid(target: str | Path, kind: str, base: str | None = None, min_entries: int = 1,
                          cwd: Path | None = MAIN) -> None:
    """Run every strict check on a feed (a file, or a URL) and fail with what they reported."""
    command = [sys.executable, str(validator_or_skip()), str(target), "--kind", kind]
    if base is not None:
        command += ["--base", base]
    command += ["--strict", "--require-all", "--min-entries", str(min_entries)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=cwd)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/feeds/atom.xml", "atom"),
        ("/feeds/rss.xml", "rss"),
        ("/topics/world/atom.xml", "atom"),
        ("/topics/world/rss.xml", "rss"),
        ("/feeds/feed.json", "json"),
        ("/topics/world/feed.json", "json"),
        # filtered and paged, at their canonical URLs (the self link must equal the URL)
        ("/feeds/atom.xml?limit=1&page=2&topic=science,world", "atom"),
        ("/feeds/rss.xml?limit=1&page=2&topic=science,world", "rss"),
        ("/feeds/feed.json?limit=1&q=text&since=2022-01-01", "json"),
        ("/topics/science/atom.xml?author=ana+ruiz&q=west", "atom"),
    ],
)
def test_feed_passes_strict_validators(path: str, kind: str, content: Path, scan, make_app,
                                       tmp_path: Path) -> None:
    validator_or_skip()
    write(content, "world/unrest.txt", " date 2022-01-06 Unrest: “troops” arrive\n\nText & more.\n")
    write(content, "science/comet.md", (
        "---\ntitle: Comet <at> dusk\ndate: 2023-02-01T20:00:00+01:00\nauthor: Ana Ruiz\n"
        "tags: [Astronomy]\n---\n\nLook [west](/sky) after *sunset*.\n"
    ))
    scan()
    response = make_app().test_client().get(path)
    assert response.status_code == 200, response.data
    body = response.data
    feed_file = tmp_path / f"feed.{kind}"
    feed_file.write_bytes(body)
    assert_strictly_valid(feed_file, kind, base=BASE_URL + path)
