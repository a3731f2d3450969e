"""Runs of tildes as Hugo 0.111's Goldmark strikes through with them, found again in
cmark-gfm's HTML.

Goldmark (1.5) takes any run of two or more `~` for a strikethrough delimiter, opening or
closing as a run of `*` would (by what is on either side of it), and pairs them as emphasis
is paired: two tildes of each side at a time while both have two, else one, so `~~~a~~~` is
struck through twice and `大家~~~~~~~~加油~~~~~~~~~` keeps one tilde of the nine. cmark-gfm,
told to strike through with exactly two tildes (a lone `~`, as in `8~10`, stays text to both),
leaves longer runs as text. Here the runs cmark left in the text of each element (outside
code) are paired as Goldmark pairs them: what each pair takes becomes `<del>` and `</del>`,
what is left of a run stays. Only for a page whose source has a run of three.

A run's neighbours are read from the HTML: a tag of a block (`<p>`, `<li>`) stands for a line's
start or end (white space), another tag for the Markdown around it (`*`, `[`, `` ` ``:
punctuation). Runs pair only with runs of the same element, as Goldmark's do (what emphasis or
a link holds is paired before the delimiters around it). At most MAX_RUNS runs of a page are
paired; a run looks back at most MAX_LOOKBACK runs for its pair.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

# A tag (its quoted values whole), a run of two or more tildes, or a character reference.
_TOKEN = re.compile(r"""<(/?)([a-zA-Z0-9]++)(?:[^<>"']++|"[^"<]*+"|'[^'<]*+'|["'])*+>|~{2,}+|&#?\w{1,32};""")
_BLOCKS = frozenset("p li ul ol dd dt dl blockquote h1 h2 h3 h4 h5 h6 td th tr table div br hr".split())
_VOID = frozenset("br hr img input wbr".split())
_CODE = frozenset(("code", "pre"))
MAX_RUNS = 2_000
MAX_LOOKBACK = 100


@dataclass
class _Run:
    start: int
    end: int
    scope: int
    can_open: bool
    can_close: bool
    left: int  # tildes not yet paired
    closed: int = 0  # pairs it closes (taken from its start)
    opened: int = 0  # pairs it opens (taken from its end)


def struck_through(rendered: str) -> str:
    """The HTML with its runs of tildes paired as Goldmark pairs them."""
    runs = _runs(rendered)
    if not runs:
        return rendered
    by_scope: dict[int, list[_Run]] = {}
    for run in runs:
        by_scope.setdefault(run.scope, []).append(run)
    for scoped in by_scope.values():
        _pair(scoped)
    pieces, position = [], 0
    for run in runs:
        if run.closed or run.opened:
            pieces += [rendered[position:run.start], "</del>" * run.closed, "~" * run.left,
                       "<del>" * run.opened]
            position = run.end
    return "".join(pieces) + rendered[position:]


def _runs(rendered: str) -> list[_Run]:
    """The runs of two or more tildes in text outside code, with the element each is in."""
    runs: list[_Run] = []
    scopes, code, count = [0], 0, 0
    for token in _TOKEN.finditer(rendered):
        name = (token.group(2) or "").lower()
        if name:
            if name in _CODE:
                code = max(0, code + (-1 if token.group(1) else 1))
            elif token.group(1) and len(scopes) > 1:
                scopes.pop()
            elif not token.group(1) and name not in _VOID and not token.group(0).endswith("/>"):
                count += 1
                scopes.append(count)
        elif token.group(0)[0] == "~" and not code:
            opens, closes = _flanking(_before(rendered, token.start()), _after(rendered, token.end()))
            runs.append(_Run(token.start(), token.end(), scopes[-1], opens, closes, len(token.group(0))))
            if len(runs) >= MAX_RUNS:
                break  # the runs after are left as cmark wrote them
    return runs


def _pair(runs: list[_Run]) -> None:
    """Goldmark's pairing (parser.ProcessDelimiters) of one element's runs, in place."""
    stack: list[_Run] = []  # runs that may still open, in order
    for closer in runs:
        while closer.can_close and closer.left:
            nearest = range(len(stack) - 1, max(-1, len(stack) - 1 - MAX_LOOKBACK), -1)
            index = next((index for index in nearest if _taken(stack[index], closer)), None)
            if index is None:
                break
            found = stack[index]
            taken = _taken(found, closer)
            found.left, closer.left = found.left - taken, closer.left - taken
            found.opened, closer.closed = found.opened + 1, closer.closed + 1
            del stack[index + (1 if found.left else 0):]  # the runs between are text now
        if closer.can_open and closer.left:
            stack.append(closer)


def _taken(opener: _Run, closer: _Run) -> int:
    """How many tildes a pair takes of each (Delimiter.CalcComsumption): none by the rule of
    three, else two while both have two, else one."""
    length = closer.end - closer.start
    if ((opener.can_close or closer.can_open) and (opener.end - opener.start + length) % 3 == 0
            and length % 3):
        return 0
    return 2 if opener.left >= 2 and closer.left >= 2 else 1


def _flanking(before: str, after: str) -> tuple[bool, bool]:
    """Whether a run between these characters may open (left-flanking) and close."""
    spaced_before, spaced_after = before.isspace(), after.isspace()
    marked_before, marked_after = _punctuation(before), _punctuation(after)
    return (not spaced_after and (not marked_after or spaced_before or marked_before),
            not spaced_before and (not marked_before or spaced_after or marked_after))


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"  # Go's unicode.IsPunct or IsSymbol


def _before(rendered: str, start: int) -> str:
    """The character before a run as Goldmark saw it: a line's start for a block's tag."""
    if not start:
        return " "
    char = rendered[start - 1]
    if char == ">":
        return _tag_side(rendered[rendered.rfind("<", 0, start):start])
    if char == ";" and (amp := rendered.rfind("&", max(0, start - 34), start)) >= 0:
        return (html.unescape(rendered[amp:start]) or " ")[-1]
    return char


def _after(rendered: str, end: int) -> str:
    if end >= len(rendered):
        return " "
    char = rendered[end]
    if char == "<":
        return _tag_side(rendered[end:rendered.find(">", end) + 1])
    if char == "&" and (semicolon := rendered.find(";", end, end + 34)) >= 0:
        return (html.unescape(rendered[end:semicolon + 1]) or " ")[0]
    return char


def _tag_side(tag: str) -> str:
    name = tag.strip("</>").split()[0].lower() if tag.strip("</>").split() else ""
    return " " if name in _BLOCKS else "*"
