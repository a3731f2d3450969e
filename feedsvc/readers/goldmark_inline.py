"""Inline raw HTML that Hugo's Goldmark (0.111) reads otherwise than cmark-gfm, rewritten in
the source before cmark, outside code:

    <?>                 a processing instruction to Goldmark (its `?>` may end on the `?` of
                        `<?`), text to cmark: written `<??>`, which cmark reads as one (the
                        `?` of `Future<?>` in prose is no text on Hugo's page)
    <!DOCTYPE>          a declaration to Goldmark without a space after its name, which cmark
                        wants: the space put in (`<!DOCTYPE >`)
    <<name>>            with the typographer on, Goldmark takes `<<` for « before it looks for
                        a tag, cmark takes `<name>` for one: a mark put between `<<` and what
                        follows, so that cmark reads no tag there (angle quotes then as always)
    &lt;<              a character reference is no `<` to the typographer: `&lt;<` and
                        `&lt;&lt;` are not «, but cmark's HTML writes them as it writes `<<`
                        (goldmark.angle_quotes): each reference marked on both sides

Lines indented four spaces or more are left as they are (they may be code). Raw HTML is
dropped or sanitized either way, so what cmark writes of it matters only as no text.
"""

from __future__ import annotations

import re

from .goldmark import NOT_MARKUP
from .markdown_code import outside_code

_PROCESSING = "<?>"
# A declaration with no space after its name, closed on its line (cmark wants the space).
# Nothing in it reads past a `<`: a try from each `<!` ends at the next.
_DECLARATION = re.compile(r"<!([A-Z]++)(?=[^\sA-Z<>][^<>\n]*+>|>)")
# `<<` before what could open a tag, a comment or an instruction: a run of `<` taken in pairs
# from its start (of `<<<a>`, cmark and Goldmark both read a tag after the pair).
_BEFORE_TAG = re.compile(r"(?<!<)(?:<<)++(?=[A-Za-z/?!])")
_INDENTED = re.compile(r"(?: {4}| {0,3}\t)")
_REFERENCES = {"<": re.compile(r"(?<!\\)&lt;"), ">": re.compile(r"(?<!\\)&gt;")}  # not `\&lt;` (text)


def as_goldmark_reads(markdown: str, typographer: bool) -> str:
    """markdown with each of the above rewritten so that cmark reads it as Goldmark does."""
    quoted = "".join(side for side in "<>" if typographer and side * 2 in markdown)  # angle quotes made
    references = any(f"&{'lt' if side == '<' else 'gt'};" in markdown for side in quoted)
    if _PROCESSING not in markdown and "<!" not in markdown and "<" not in quoted and not references:
        return markdown
    return outside_code(markdown, lambda prose: _rewritten(prose, quoted))


def _rewritten(prose: str, quoted: str) -> str:
    lines = prose.split("\n")
    for number, line in enumerate(lines):
        if ("<" not in line and "&" not in line) or _INDENTED.match(line):
            continue
        line = line.replace(_PROCESSING, "<??>") if _PROCESSING in line else line
        line = _DECLARATION.sub(r"<!\1 ", line) if "<!" in line else line
        if "<" in quoted and "<<" in line:
            line = _BEFORE_TAG.sub(lambda run: run.group(0) + NOT_MARKUP, line)
        for side in quoted:
            line = _REFERENCES[side].sub(lambda found: NOT_MARKUP + found.group(0) + NOT_MARKUP, line)
        lines[number] = line
    return "\n".join(lines)
