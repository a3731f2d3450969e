"""Rescan cost: 10,000 generated articles, first scan, unchanged rescan, one file changed.

Prints the figures and the ratio of an unchanged rescan (everything `feedsvc scan` does:
load the catalog's file states, walk, one stat per file, commit the report) to a bare
os.scandir + stat walk of the same tree in Python. DESIGN §9 target: at most 3.

    .venv/bin/python bench/rescan.py [--articles 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feedsvc.config import load_settings  # noqa: E402
from feedsvc.scan import scan_once  # noqa: E402
from feedsvc.store import Store  # noqa: E402

FOLDERS = ("world", "science", "economy", "culture", "sport", "health", "travel", "media")
PARAGRAPH = (
    "The council met on Tuesday to discuss the harbour repairs, the new tram line and the "
    "budget for the coming year. Residents asked questions about noise and parking."
)


def generate(root: Path, count: int) -> None:
    """Write count plain-text articles, a hundred per folder, dated in the past."""
    past = time.time() - 86_400
    for number in range(count):
        folder = root / FOLDERS[number % len(FOLDERS)] / f"batch-{number // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"article-{number:05d}.txt"
        day = 1 + number % 28
        path.write_text(
            f"date 2023-{1 + number % 12:02d}-{day:02d} Article number {number}\n\n"
            + f"{PARAGRAPH}\n\n" * 3,
            encoding="utf-8",
        )
        os.utime(path, (past, past))


def bare_walk(root: str) -> int:
    """The floor: list every folder and stat every file, nothing else."""
    count = 0
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as listing:
            for item in listing:
                if item.is_dir():
                    stack.append(item.path)
                else:
                    item.stat()
                    count += 1
    return count


def elapsed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def timed(action, repeat: int) -> float:
    """Median wall time of repeat runs."""
    return statistics.median(elapsed(action) for _ in range(repeat))


def timed_pair(first, second, repeat: int) -> tuple[float, float]:
    """Median wall times of two actions run in turns, so load changes affect both alike."""
    pairs = [(elapsed(first), elapsed(second)) for _ in range(repeat)]
    return statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="feedsvc-bench-") as temp:
        root = Path(temp) / "content"
        generate(root, args.articles)
        settings = load_settings(overrides={
            "content_dir": root, "database": Path(temp) / "catalog.db",
            "base_url": "https://news.example.org",
        }, environ={})
        store = Store(settings.database)
        start = time.perf_counter()
        report = scan_once(settings, store)
        first = time.perf_counter() - start
        assert report.published == args.articles and not report.errors, report.as_dict()

        assert bare_walk(str(root)) == args.articles
        rescan, walk = timed_pair(lambda: scan_once(settings, store), lambda: bare_walk(str(root)),
                                  args.repeat)

        changed = root / FOLDERS[0] / "batch-000" / "article-00000.txt"

        def change_one() -> None:
            changed.write_text(changed.read_text(encoding="utf-8") + "One more line.\n", encoding="utf-8")
            report = scan_once(settings, store)
            assert report.read == 1, report.as_dict()  # plus any file still within the racy window

        one_changed = timed(change_one, args.repeat)
    ratio = rescan / walk
    print(f"articles:               {args.articles}")
    print(f"first scan:             {first:.3f} s ({args.articles / first:.0f} articles/s)")
    print(f"unchanged rescan:       {rescan * 1000:.1f} ms (median of {args.repeat})")
    print(f"one file changed:       {one_changed * 1000:.1f} ms (median of {args.repeat})")
    print(f"bare scandir+stat walk: {walk * 1000:.1f} ms (median of {args.repeat})")
    print(f"RESULT rescan ratio={ratio:.2f} target=<=3")


if __name__ == "__main__":
    main()
