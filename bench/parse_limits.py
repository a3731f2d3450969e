"""Parse limits: memory and time to read and clean one file at the readers' limits.

Each shape runs in a child process: its input is built first, then read_article and
normalize run on it, and the child reports the growth of its peak resident memory and the
time taken. Shapes just under the limits are published; the 5 MB hostile ones are refused
from their counts. Target: no file takes more than 100 MB over the process's own.

    .venv/bin/python bench/parse_limits.py
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feedsvc.config import Settings  # noqa: E402
from feedsvc.errors import ReadError  # noqa: E402
from feedsvc.normalize import normalize  # noqa: E402
from feedsvc.readers import read_article  # noqa: E402
from feedsvc.readers.html import MAX_ATTRIBUTES, MAX_ATTRIBUTES_PER_ELEMENT  # noqa: E402
from feedsvc.text import MAX_TAGS  # noqa: E402
from feedsvc.readers.markdown import MAX_MARKUP  # noqa: E402
from feedsvc.readers.text import MAX_PARAGRAPH_BREAKS  # noqa: E402

TARGET_MB = 100
FRONT = "---\ntitle: Limits\ndate: 2024-01-01\n---\n"
PAGE = "<html><title>Limits</title><body>"  # 4 tags
SHAPES = {
    # at the limits: published
    "html-paragraphs": ("a.html", lambda: PAGE + "<p>x</p>" * ((MAX_TAGS - 4) // 2)),
    "html-attributes": ("a.html", lambda: PAGE + ("<p" + " a" * MAX_ATTRIBUTES_PER_ELEMENT + ">x</p>")
                        * (MAX_ATTRIBUTES // MAX_ATTRIBUTES_PER_ELEMENT)),
    "html-tags-and-attributes": ("a.html", lambda: PAGE + "".join(
        f'<p class="c{k}" id="p{k}" title="t" data-a="1" data-b="2" lang="en">y</p>'
        for k in range((MAX_TAGS - 4) // 2))),
    "markdown-list": ("a.md", lambda: FRONT + "- a\n" * (MAX_MARKUP // 2)),
    "markdown-links": ("a.md", lambda: FRONT + "[a](b) " * (MAX_MARKUP // 2)),
    "markdown-emphasis": ("a.md", lambda: FRONT + "*a* " * (MAX_MARKUP // 2)),
    "markdown-short-lines": ("a.md", lambda: FRONT + "ab\n" * MAX_MARKUP),
    "text-paragraphs": ("a.txt", lambda: "Title: Limits\n\n" + "a\n\n" * MAX_PARAGRAPH_BREAKS),
    # 5 MB and far over: refused before parsing
    "hostile-html-tags": ("a.html", lambda: "<html><body>" + "<b>" * 1_600_000),
    "hostile-html-attributes": ("a.html", lambda: PAGE + "<p" + " a" * 2_400_000 + ">"),
    "hostile-markdown-brackets": ("a.md", lambda: "[" * 5_000_000),
    "hostile-markdown-list": ("a.md", lambda: "- a\n" * 1_200_000),
    "hostile-text-paragraphs": ("a.txt", lambda: "Title: Limits\n\n" + "a\n\n" * 1_600_000),
}


def peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_one(name: str) -> None:
    """In the child: build the input, then read and clean it; print growth, time, outcome."""
    path, make = SHAPES[name]
    data = make().encode()
    before = peak_kb()
    start = time.perf_counter()
    try:
        article = read_article(path, data)
        normalize(article, data, Settings(), None, datetime.now(UTC))
        outcome = "published"
    except ReadError as exc:
        outcome = f"refused: {exc}"
    print(f"{(peak_kb() - before) / 1024:.1f} {time.perf_counter() - start:.2f} {len(data)} {outcome}")


def main() -> None:
    worst = 0.0
    for name in SHAPES:
        result = subprocess.run([sys.executable, __file__, name], capture_output=True, text=True,
                                check=True)
        growth, seconds, size, outcome = result.stdout.split(" ", 3)
        worst = max(worst, float(growth))
        print(f"{name:28} {int(size):>9,} bytes  +{growth:>6} MB  {seconds:>5} s  {outcome.strip()}")
    print(f"RESULT parse_limits ratio={worst / TARGET_MB:.2f} target=<1")


if __name__ == "__main__":
    run_one(sys.argv[1]) if len(sys.argv) > 1 else main()
