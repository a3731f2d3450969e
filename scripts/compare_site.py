"""How many posts of a site feedsvc publishes as the site's own tool does.

    .venv/bin/python scripts/compare_site.py SITE RECORDING [--show N]

SITE is a site's root folder (a clone of a public blog, say); RECORDING is what its tool
published, written by `scripts/record_sites.py SITE --out FOLDER`. Prints the share of
posts whose publish-or-hide decision, title, date (to the minute), topics and body text
match (tests/helpers/generators.py compares them), the mismatches counted by what differs, the
posts showing template syntax (`{{`, `{%`) more often than the tool's own text does (a tag or
shortcode published raw), and the first N mismatched posts with their differences.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from helpers.generators import compare, load_recording  # noqa: E402

TEMPLATE_MARKS = ("{{", "{%")


def raw_templates(expected: dict, published: dict) -> list[str]:
    """Posts whose text holds a template mark more often than the tool's text of the post."""
    return [path for path, entry in sorted(published.items())
            if any(entry["text"].count(mark) > expected.get(path, {}).get("text", "").count(mark)
                   for mark in TEMPLATE_MARKS)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("recording", type=Path)
    parser.add_argument("--show", type=int, default=10, help="mismatched posts to print")
    args = parser.parse_args()
    recording = load_recording(args.recording)
    result = compare(args.site.resolve(), recording)
    errors = len(result.report.errors) if result.report else 0
    print(f"{args.site}: {len(result.matched)} of {result.total} posts match "
          f"({result.ratio:.1%}); {errors} errors")
    kinds = Counter(problem.split(" ")[0] for problems in result.mismatched.values() for problem in problems)
    print("differences: " + (", ".join(f"{count} {kind}" for kind, count in kinds.most_common()) or "none"))
    raw = raw_templates(recording["entries"], result.published)
    print(f"template syntax the tool does not show: {len(raw)} posts" + "".join(f"\n- {path}" for path in raw))
    for path, problems in list(result.mismatched.items())[: args.show]:
        print(f"- {path}")
        for problem in problems:
            print(f"    {problem[:700]}")


if __name__ == "__main__":  # the scan's reading processes import this module again
    main()
