"""kramdown's strikethrough (GFM input), where cmark reads it otherwise: `~~` opens one when no
white space follows it and closes one when none comes before it, whatever is on its other
side. cmark's flanking rules refuse a `~~` between a letter and punctuation ("了~~，因为...。~~"
in Chinese, where punctuation touches the words; "a~~(b)~~"): such a run is given an empty
processing instruction (which feeds leave out) on its letter's side, so that cmark sees
punctuation on both sides of it and lets it open and close.
"""

from __future__ import annotations

import re

from .kramdown_code_spans import NOT_A_BLOCK

# Exactly two tildes (kramdown strikes through with two only; three or more are text) after
# a letter or digit and before punctuation, or after punctuation and before a letter or digit.
_AFTER_WORD = re.compile(r"(?<=[^\W_])~~(?=[^\s\w~])")
_BEFORE_WORD = re.compile(r"(?<=[^\s\w~])~~(?=[^\W_])")


def flanked_tildes(text: str) -> str:
    """Such runs made able to open and close for cmark (see above)."""
    if "~~" not in text:
        return text
    return _BEFORE_WORD.sub("~~" + NOT_A_BLOCK, _AFTER_WORD.sub(NOT_A_BLOCK + "~~", text))
