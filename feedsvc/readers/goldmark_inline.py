"""Raw HTML that Hugo's Goldmark (0.111) reads otherwise than cmark-gfm, rewritten in the
source before cmark, outside code:

    <?>                 a processing instruction to Goldmark (its `?>` may end on the `?` of
                        `<?`), text to cmark: written `<??>`, which cmark reads as one (the
                        `?` of `Future<?>` in prose is no text on Hugo's page)
    <!DOCTYPE>          a declaration to Goldmark without a space after its name, which cmark
                        wants: the space put in (`<!DOCTYPE >`)
    <<name>>            with the typographer on, Goldmark takes `<<` for « before it looks for
                        a tag, cmark takes `<name>` for one: a mark put between `<<` and what
                        follows, so that cmark reads no tag there (angle quotes then as always)
    &lt;<  \\<<        a character reference or an escaped `\\<` is no `<` to the typographer:
                        `&lt;<`, `&lt;&lt;` and `\\<<` are not «, but cmark's HTML writes them as
                        it writes `<<` (goldmark.angle_quotes): each marked on both sides (a
                        `\\>>No. 1` reply to a post stays `>>No. 1`)

An end tag spaced after its `</` (`</ head >`, pasted HTML) that starts a line starts a
block of HTML to Goldmark, as `</head>` would (a block element's, or a tag alone on the line);
cmark reads no tag: the spaces are taken out.

A line that is one tag alone (`<br>`, `</span>`), right after a paragraph's line in a list
item, quote or footnote, goes on with that paragraph to Goldmark (a lazy line); cmark starts
a block of HTML there (its rule that such a tag cannot interrupt a paragraph looks at the
container the line is in, not at the paragraph), which ends the item, quote or footnote: a
mark is put before the tag (lazy_tags_marked).

Lines indented four spaces or more are left as they are (they may be code). Raw HTML is
dropped or sanitized either way, so what cmark writes of it matters only as no text.
"""

from __future__ import annotations

import re

from .markdown_code import CMARK_BLOCK_NAMES, CMARK_RAW, NOT_MARKUP, closes, opens, outside_code

_PROCESSING = "<?>"
# A declaration with no space after its name, closed on its line (cmark wants the space).
# Nothing in it reads past a `<`: a try from each `<!` ends at the next.
_DECLARATION = re.compile(r"<!([A-Z]++)(?=[^\sA-Z<>][^<>\n]*+>|>)")
# `<<` before what could open a tag, a comment or an instruction: a run of `<` taken in pairs
# from its start (of `<<<a>`, cmark and Goldmark both read a tag after the pair).
_BEFORE_TAG = re.compile(r"(?<!<)(?:<<)++(?=[A-Za-z/?!])")
_INDENTED = re.compile(r"(?: {4}| {0,3}\t)")
# A start or end tag alone on its line (cmark's block of HTML of kind 7), and what opens a
# list item, quote or footnote definition. Possessive: a line is read once.
_TAG_LINE = re.compile(r"""[ ]{0,3}(?:<([A-Za-z][A-Za-z0-9-]*+)(?:[ \t]++[A-Za-z_:][\w.:-]*+"""
                       r"""(?:[ \t]*+=[ \t]*+(?:[^\s"'=<>`]++|'[^'\n]*+'|"[^"\n]*+"))?+)*+[ \t]*+/?>"""
                       r"""|</([A-Za-z][A-Za-z0-9-]*+)[ \t]*+>)[ \t]*+""")
_CONTAINER_START = re.compile(r" {0,3}(?:>|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|\[\^[^\]\n]{1,999}\]:)")
_LONE_TAG = re.compile(r"^ {0,3}</?[A-Za-z][^<>\n]*+>[ \t]*+$", re.MULTILINE)  # a page with none is left at once
_SPACED_END = re.compile(r"( {0,3})</[ ]++([A-Za-z][A-Za-z0-9-]*+)(?=([ ]*+>[ \t]*+$)|[ >]|/>|$)")
# A reference (not `\&lt;`, text) or an escaped bracket (not `\\<`, a backslash then a bracket).
_REFERENCES = {"<": re.compile(r"(?<!\\)(?:&lt;|(?:\\\\)*+\\<)"),
               ">": re.compile(r"(?<!\\)(?:&gt;|(?:\\\\)*+\\>)")}


def as_goldmark_reads(markdown: str, typographer: bool) -> str:
    """markdown with each of the above rewritten so that cmark reads it as Goldmark does."""
    quoted = "".join(side for side in "<>" if typographer and side * 2 in markdown)  # angle quotes made
    references = any(f"&{'lt' if side == '<' else 'gt'};" in markdown or "\\" + side in markdown
                     for side in quoted)
    if (_PROCESSING not in markdown and not ("<!" in markdown and _DECLARATION.search(markdown))
            and "</ " not in markdown and "<" not in quoted and not references):  # (`<!--more-->` is none)
        return markdown
    return outside_code(markdown, lambda prose: _rewritten(prose, quoted))


def _rewritten(prose: str, quoted: str) -> str:
    lines = prose.split("\n")
    for number, line in enumerate(lines):
        escaped_right = ">" in quoted and "\\>" in line
        if ("<" not in line and "&" not in line and not escaped_right) or _INDENTED.match(line):
            continue
        line = line.replace(_PROCESSING, "<??>") if _PROCESSING in line else line
        line = _DECLARATION.sub(r"<!\1 ", line) if "<!" in line else line
        line = _unspaced_end(line) if "</ " in line else line
        if "<" in quoted and "<<" in line:
            line = _BEFORE_TAG.sub(lambda run: run.group(0) + NOT_MARKUP, line)
        for side in quoted:
            line = _REFERENCES[side].sub(lambda found: NOT_MARKUP + found.group(0) + NOT_MARKUP, line)
        lines[number] = line
    return "\n".join(lines)


def _unspaced_end(line: str) -> str:
    """`</ name` starting the line written `</name` where Goldmark starts a block of HTML."""
    found = _SPACED_END.match(line)
    name = found.group(2).lower() if found else ""
    if not found or name in CMARK_RAW or not (found.group(3) or name in CMARK_BLOCK_NAMES):
        return line  # `</ script >` is text to both (a script, style or pre ends no block of HTML)
    return found.group(1) + "</" + line[found.start(2):]


def lazy_tags_marked(markdown: str) -> str:
    """A tag alone on a line right after a paragraph's line in a list item, quote or
    footnote marked so that cmark goes on with the paragraph, as Goldmark does."""
    if "<" not in markdown or not _LONE_TAG.search(markdown):
        return markdown
    lines, fence, contained = markdown.split("\n"), "", False
    for number, line in enumerate(lines):
        if fence:
            fence = "" if closes(fence, line) else fence
        elif opened := opens(line):
            fence, contained = opened.group(1), False
        elif not line.strip():
            contained = False
        elif _CONTAINER_START.match(line):
            contained = True
        elif contained and "<" in line and (tag := _TAG_LINE.fullmatch(line)):
            name = (tag.group(1) or tag.group(2)).lower()
            if name not in CMARK_BLOCK_NAMES and name not in CMARK_RAW:
                lines[number] = NOT_MARKUP + line
    return "\n".join(lines)
