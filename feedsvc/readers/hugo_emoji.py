"""Hugo's emoji: with enableEmoji, `:smile:` in a page's source (its code too, before
Markdown) is written as 😄 when the code is in Hugo's own table, hugo_emoji.txt (recorded
from hugo 0.111 by scripts/record_emoji.py): its emoji are not always another library's
(`:email:` is ✉️, `:clock:` 🕰, `:mage:` 🧙‍♀️) and a name it does not know (`:Afghanistan:`)
stays text. Codes are found as Hugo's helpers.Emojify finds them: from each colon to the
next, no space between; a code replaced takes its closing colon along, one that is not
leaves it to open the next (`a:b:smile:` shows `a:b😄`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("hugo_emoji.txt")


@lru_cache(maxsize=1)
def table() -> tuple[dict[str, str], int]:
    """Each code (colons and all) with its emoji, and the longest code's length."""
    codes = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _tab, shown = line.partition("\t")
            codes[f":{name}:"] = shown
    return codes, max(map(len, codes), default=0)


def emojified(text: str) -> str:
    """text with each code Hugo knows written as its emoji."""
    if ":" not in text:
        return text
    codes, longest = table()
    kept, position, start = [], 0, text.find(":")
    while start >= 0:
        end = text.find(":", start + 1, start + longest)
        if end < 0:
            start = text.find(":", start + 1)
            continue
        shown = codes.get(text[start:end + 1]) if " " not in text[start:end] else None
        if shown is not None:
            kept += [text[position:start], shown]
            position, end = end + 1, text.find(":", end + 1)
        start = end
    return "".join(kept) + text[position:]
