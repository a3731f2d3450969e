"""How many posts of a site feedsvc publishes as the site's own tool does.

    .venv/bin/python scripts/compare_site.py SITE RECORDING [--show N]

SITE is a site's root folder (a clone of a public blog, say); RECORDING is what its tool
published, written by `scripts/record_sites.py SITE --out FOLDER`. Prints the share of
posts whose publish-or-hide decision, title, date (to the minute), topics and body text
match (tests/helpers/generators.py compares them), the mismatches counted by what differs, the
posts showing template syntax (`{{`, `{%`) more often than the tool's own text does (a tag or
shortcode published raw), the posts that differ only by the links feedsvc writes where the tool
embeds a video, post or gist (feed readers drop iframes and scripts: a difference on purpose),
and the first N mismatched posts with their differences.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from helpers.generators import comparable, compare, load_recording  # noqa: E402

from feedsvc.readers.hugo_builtins import EMBEDS  # noqa: E402

TEMPLATE_MARKS = ("{{", "{%")
# The text of an embed's link, each field one word ("YouTube video {id}", "Post by @{user}")
EMBED_TEXT = re.compile("|".join(re.escape(label).replace(r"\{", "{").replace(r"\}", "}")
                                 for _, label in EMBEDS.values()).replace("{id}", r"\S+")
                        .replace("{user}", r"\S+"))


def embeds_only(expected: dict, published: dict, mismatched: dict) -> list[str]:
    """Mismatched posts whose text, without the embeds' links, is the tool's."""
    return [path for path, problems in mismatched.items()
            if all(problem.startswith("text ") for problem in problems)
            and comparable(EMBED_TEXT.sub("", published[path]["text"])) == comparable(expected[path]["text"])]


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
    embeds = embeds_only(recording["entries"], result.published, result.mismatched)
    if embeds:
        print(f"differing only by embeds' links (on purpose): {len(embeds)} posts; with them, "
              f"{len(result.matched) + len(embeds)} of {result.total} match")
    raw = raw_templates(recording["entries"], result.published)
    print(f"template syntax the tool does not show: {len(raw)} posts" + "".join(f"\n- {path}" for path in raw))
    for path, problems in list(result.mismatched.items())[: args.show]:
        print(f"- {path}")
        for problem in problems:
            print(f"    {problem[:700]}")


if __name__ == "__main__":  # the scan's reading processes import this module again
    main()
