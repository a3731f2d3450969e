"""Hugo's emoji: with enableEmoji, `:smile:` in a page's source (its code too, before
Markdown) is written as 😄 when the code is in Hugo's own table, hugo_emoji.txt (recorded
from hugo 0.111 by scripts/record_emoji.py): its emoji are not always another library's
(`:email:` is ✉️, `:clock:` 🕰, `:mage:` 🧙‍♀️) and a name it does not know (`:Afghanistan:`)
stays text. Codes are found as Hugo's page lexer finds them: a colon, ASCII letters, digits,
`+`, `_` or `-`, and a colon make a code, known or not, and its closing colon opens no other
(`10:100:` and `12:30:45:smile:` keep `:100:` and `:smile:` as text); a colon followed by
anything else is text (`a:/b:smile:` shows `a:/b😄`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("hugo_emoji.txt")
# What Hugo's lexer takes as a code. Linear: a run of these characters after a colon ends at
# the first other character, and no colon is inside a run, so runs tried never overlap.
_CODE = re.compile(r"(:[A-Za-z0-9+_-]+:)")


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """Each code (colons and all) with its emoji."""
    codes = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _tab, shown = line.partition("\t")
            codes[f":{name}:"] = shown
    return codes


def emojified(text: str) -> str:
    """text with each code Hugo knows written as its emoji."""
    if ":" not in text:
        return text
    codes = table()
    parts = _CODE.split(text)  # text, code, text, …: a list is faster than a call per code
    parts[1::2] = [codes.get(code, code) for code in parts[1::2]]
    return "".join(parts)
