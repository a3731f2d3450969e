"""Hugo's built-in shortcodes in content, expanded as Hugo expands them before Markdown.

    figure      <figure> with its image, title, caption and attribution
    highlight   a code block (its body is code, never Markdown)
    ref, relref the linked article's address on this service
    param       a front matter value, else the site's `params`
    youtube, vimeo, x, tweet, gist, instagram
                a link to the resource: feed readers drop the iframes and scripts Hugo writes

`{{</* name */>}}` is Hugo's way to write a shortcode literally, and stays one. A shortcode
the site defines with a simple template is run (site_shortcodes.py); any other (one only
Hugo's templates can run) is removed, keeping what it encloses, with a warning naming the
line and the shortcode.
Shortcodes are found by one forward scan; nothing here backtracks.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import ReadError
from . import highlight, hugo_i18n, hugo_sections, site_shortcodes
from .hugo_builtins import EMBEDS, Written, argument as _get, expand as _expand  # EMBEDS: liquid tags' too
from .site import Site
from .site_shortcodes import run_inline

_OPENING = re.compile(r"\{\{[<%]")
_NAME = re.compile(r"\s*(/?)\s*([\w./-]+)")
# A quoted value is taken possessively: 5 MB of an unclosed one took 1.5 s going back over it.
# Hugo reads `name = "value"` (spaces around the '=') as name="value"; a name is taken
# possessively, so a long word or run of spaces without '=' is gone over once.
_ARGUMENT = re.compile(r"""\s*(?:([\w-]++)\s*+=\s*+)?(?:"((?:[^"\\]++|\\.)*+)"|`([^`]*)`|([^\s"`]+))""")
MAX_ARGUMENTS = 50
MAX_SHORTCODES = 5_000  # in a page (Hugo's own docs use a few dozen at most)
# Characters of shortcodes' output marked down again inside the Markdown of those enclosing them.
MAX_REMARKED = 256 * 1024
# Characters the shortcodes of a page write in all: each use may write 64 KB (go_template), and
# 5,000 uses of a site's shortcode writing a long argument three times took 1.5 s to read.
MAX_PAGE_WRITTEN = 4 * 1024 * 1024
MAX_NESTED = 20  # shortcodes open inside one another (content nests two or three; each is a level of filling)
SUMMARY_DIVIDER = "<!--more-->"
PREFIX = "FEEDSVCSHORTCODE"  # of the placeholders a shortcode's output waits in
_TOKEN_NUMBER = re.compile(r"\d+Z$")
MAX_INDENTATION = 200  # a highlight shortcode's line indented more is taken as not indented
# A line end before a blank line: Hugo's highlighter wraps every line, an empty one too, so
# its block put into Markdown is one HTML block; each blank line is given an empty element.
_BLANK_LINE_END = re.compile(r"\n(?=\n)")
BODY_SHORTCODES = ("highlight",)  # and inline ones: their bodies are not Markdown


@dataclass(frozen=True)
class Shortcode:
    start: int
    end: int
    name: str
    closing: bool
    arguments: tuple[tuple[str, str], ...]  # (name or position, value)
    line: int
    literal: str = ""  # set for Hugo's escaped form: the text to publish as it is
    self_closed: bool = False  # {{< name />}}
    markdown: bool = False  # {{% name %}}: what it writes is Markdown


def _arguments(text: str) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    for position, match in enumerate(_ARGUMENT.finditer(text)):
        if position >= MAX_ARGUMENTS:
            break
        key, quoted, backquoted, bare = match.groups()
        value = bare if quoted is None and backquoted is None else backquoted
        if quoted is not None:
            value = quoted.replace('\\"', '"')
        found.append((key or str(position), value or ""))
    return tuple(found)


def scan(text: str) -> Iterator[Shortcode]:
    """Every shortcode tag in text, in order; ReadError past MAX_SHORTCODES."""
    for number, code in enumerate(_tags(text)):
        if number == MAX_SHORTCODES:
            raise ReadError(f"more than {MAX_SHORTCODES:,} shortcodes")
        yield code


def _tags(text: str) -> Iterator[Shortcode]:
    line, counted, position = 1, 0, 0
    ends: dict[str, int] = {}
    for opening in _OPENING.finditer(text):
        start = opening.start()
        if start < position:
            continue
        closing = ">}}" if text[start + 2] == "<" else "%}}"
        line += text.count("\n", counted, start)
        counted = start
        if text.startswith("/*", start + 3) and (end := _comment_end(text, closing, start + 5, ends)) >= 0:
            # Hugo's lexer: all up to the first `*/>}}` is written as it is, shortcodes and all
            position = end + 5
            yield Shortcode(start, position, "", False, (), line, text[start:start + 3] + text[start + 5:end] + closing)
            continue
        end = text.find(closing, start + 3)
        if end < 0:
            return
        position = end + 3
        inner = text[start + 3:end]
        if inner.lstrip().startswith("/*") and inner.rstrip().endswith("*/"):
            literal = text[start:start + 3] + inner.strip()[2:-2] + closing
            yield Shortcode(start, position, "", False, (), line, literal)
            continue
        match = _NAME.match(inner)
        if not match:
            continue
        rest = inner[match.end():].rstrip()
        yield Shortcode(start, position, match.group(2), bool(match.group(1)),
                        _arguments(rest.removesuffix("/")), line, self_closed=rest.endswith("/"),
                        markdown=closing == "%}}")


def _comment_end(text: str, closing: str, start: int, ends: dict[str, int]) -> int:
    """Where the first `*/` and closing (`>}}` or `%}}`) from start are, or -1; ends keeps
    the last found of each, so that a page of unclosed `{{</*` is searched once, not once each."""
    found = ends.get(closing, -2)
    if found == -2 or 0 <= found < start:
        found = ends[closing] = text.find("*/" + closing, start)
    return found


def _highlight(code: Shortcode, body: str, site: Site, page: str) -> str:
    """A code block, numbered as the site's highlight settings and the shortcode's options say:
    its body as Hugo's highlight takes it (.InnerDeindent), each line without the indentation
    of the line the shortcode opens on, and without line ends around it (an indented closing
    tag leaves no blank last line). In `{{% %}}` it goes into the Markdown without blank lines."""
    if indentation := _indentation(page, code):
        body = "\n".join(line.removeprefix(indentation) for line in body.split("\n"))
    options = highlight.with_options(site.highlight, highlight.parse_options(_get(code, "options", 1)))
    written = highlight.code_html(body.strip("\n"), _get(code, "lang", 0), options)
    return _BLANK_LINE_END.sub("\n<span></span>", written) if code.markdown else written


def _indentation(text: str, code: Shortcode) -> str:
    """The spaces and tabs before a shortcode on its line, when nothing else is before it
    (looked for at most MAX_INDENTATION characters back: each highlight looks once)."""
    line_start = text.rfind("\n", max(0, code.start - MAX_INDENTATION), code.start) + 1
    before = text[line_start:code.start]
    return before if (line_start or code.start <= MAX_INDENTATION) and not before.strip(" \t") else ""


@dataclass
class Expanded:
    """Text whose shortcodes are replaced by placeholders, and what each stands for: as in
    Hugo, a shortcode's HTML goes into the page after Markdown is rendered (Markdown that
    leaves raw HTML out would drop it otherwise)."""

    text: str
    warnings: list[str]
    fills: dict[str, Written]

    def fill(self, rendered: str, markdownify: Callable[[str], str] = html.escape) -> str:
        """The rendered HTML with each placeholder replaced; one alone in a paragraph
        replaces the paragraph. A shortcode's output may hold the placeholders of those it
        encloses, filled in it. markdownify renders the Markdown a shortcode marks down
        (Hugo's markdownify: one paragraph loses its <p>); without it, that Markdown is shown
        as text."""
        if not self.fills:
            return rendered
        prefix = _TOKEN_NUMBER.sub("", next(iter(self.fills)))
        token_pattern = re.compile(rf"<p>({re.escape(prefix)}\d+Z)</p>|{re.escape(prefix)}\d+Z")
        filled: dict[str, str] = {}
        room = [MAX_REMARKED]  # characters of enclosed shortcodes' output left to mark down again

        def number(token: str) -> int:
            return int(token[len(prefix):-1])

        def value_of(token: str) -> str:
            if token not in filled:
                below = number(token)  # a value holds only the tokens of what it encloses, made before it

                def enclosed(found: re.Match[str]) -> str:
                    made_before = number(found.group(1) or found.group(0)) < below
                    return replace(found) if made_before else found.group(0)

                def inside(markdown: str) -> str:  # Markdown with what the shortcodes it encloses wrote
                    found = token_pattern.sub(enclosed, markdown) if room[0] > 0 else markdown
                    if len(found) - len(markdown) > room[0]:
                        return markdown
                    room[0] -= len(found) - len(markdown)
                    return found
                value = self.fills[token]
                if isinstance(value, tuple):
                    value = "".join(part if index % 2 == 0 else _marked_down(part, markdownify, inside)
                                    if part else "" for index, part in enumerate(value))
                filled[token] = token_pattern.sub(enclosed, value)
            return filled[token]

        def replace(found: re.Match[str]) -> str:
            token = found.group(1) or found.group(0)
            return value_of(token) if token in self.fills else found.group(0)

        # One pass over the page (a replace per shortcode over the whole page was quadratic).
        return token_pattern.sub(replace, rendered)


class _Block(str):
    """Markdown a shortcode renders as a block (RenderString's display "block")."""


def _marked_down(markdown: str, markdownify: Callable[[str], str], inside: Callable[[str], str]) -> str:
    """Markdown a shortcode marks down: one paragraph loses its <p> unless it is a block. As
    in Hugo, what the shortcodes it encloses wrote is put in before it is marked down (their
    HTML takes the Markdown around it: `<q>a `code` span</q>`), while fill's room lasts (a
    shortcode nested deep is marked down once a level); past that, it is put in after."""
    rendered = markdownify(inside(markdown))
    return rendered if isinstance(markdown, _Block) else _unwrapped(rendered)


def _unwrapped(rendered: str) -> str:
    rendered = rendered.strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def placeholder_prefix(text: str) -> str:
    """A prefix the text does not hold, of ASCII letters (kept as they are in link addresses):
    PREFIX and letters of the text's own digest, which no text can hold but by chance."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    prefix = PREFIX + "".join(chr(ord("A") + int(digit, 16)) for digit in digest[:16])
    while prefix in text:  # a chance of one in 2**64 a try
        prefix += "Q"
    return prefix


def _own(code: Shortcode, template: site_shortcodes.Template, body: str, placeholder: Callable[[Written], str],
         warnings: list[str], site: Site, translations: Callable[[], dict[str, str]],
         builtin: Written | None = None, ordinals: dict[int, int] | None = None,
         metadata: dict[str, Any] | None = None, page: str = "", parent: str | None = None) -> str:
    """A shortcode the site defines, run (site_shortcodes.py). In `{{< >}}` what it writes is
    HTML, in `{{% %}}` Markdown in the page; an inner part it marks down is rendered apart,
    one it writes as text or as a code block is escaped. A use only Hugo can run is written
    as Hugo's built-in of that name writes it (builtin: a theme's own figure), else keeps
    what it encloses, with a warning. ordinals: each shortcode's place in the page (.Ordinal),
    by where it starts. metadata: the page's front matter (and what cascades to it), for .Page.Params;
    page: its file in the content folder, for .Page.Resources; parent: the shortcode it is in (.Parent)."""
    ordinal = (ordinals or {}).get(code.start, 0)
    found = template.around(dict(code.arguments), translations, ordinal, site, metadata, page, parent)
    if found is None and builtin is not None:
        return placeholder(builtin)
    if found is None:
        warnings.append(f"line {code.line}: shortcode '{code.name}' takes a way of its template only Hugo "
                        "can run; removed, its content kept")
        return body or placeholder("")  # a token all the same: `**{{< x >}}**` stays emphasis
    before, after, inner = found
    body = inner.cut(body) if inner and inner.cuts else body
    if inner is None:
        body = ""
    elif inner.mode == "markdown":  # marked down by the template, before the page is (in `{{% %}}` too)
        body = _Block(body) if inner.options == "block" else body
        return before + placeholder(("", body, "")) + after if code.markdown else placeholder((before, body, after))
    elif inner.mode == "text":
        return placeholder(before + html.escape(body) + after)
    elif inner.mode == "code":
        options = highlight.with_options(site.highlight, highlight.parse_options(inner.options))
        return placeholder(before + highlight.code_html(body.strip("\n"), inner.language, options) + after)
    return before + body + after if code.markdown else placeholder(before + body + after)


def _placed(code: Shortcode, written: Written, site: Site, placeholder: Callable[[Written], str]) -> str:
    """Where a built-in's output goes. In `{{% %}}` Hugo puts it into the page's Markdown, which
    reads it again: raw HTML left out unless the site allows it (a highlighted block is gone,
    one in a line keeps its text), `*a*` of a param emphasis. An embed keeps its link (feedsvc
    writes embeds as links), and a figure whose caption its template marks down is filled in
    after, as it passes through whole where raw HTML is kept."""
    if not code.markdown or code.name in EMBEDS:
        return placeholder(written)
    if isinstance(written, tuple):
        if site.raw_html_allowed:
            return placeholder(written)
        written = "".join(written)
    return written


def without_summary_divider(text: str, html: bool = False) -> str:
    """Hugo takes the first `<!--more-->` out of the content (it marks where the summary ends).
    In Markdown it ends a paragraph (Hugo 0.111 writes one of its own there, then takes that
    out of the HTML), and the white space after it goes with it (its lexer takes it into the
    divider): a line indented after it starts at its first column (`    ```` opens a fence
    there, where it would be indented code). Of a page of HTML, the content is what follows it."""
    if "<" not in text or SUMMARY_DIVIDER not in text:  # "<": found as render's "{"
        return text
    before, _divider, after = text.partition(SUMMARY_DIVIDER)
    return after if html else f"{before}\n\n{after.lstrip()}"


def _closed_body(open_bodies: list[tuple[int, Shortcode]],
                 closing: Shortcode) -> tuple[int, Shortcode] | None:
    """Where the body a closing shortcode ends starts, and its opening: the innermost open one
    of its name (shortcodes nest: `{{< outer >}}{{% inner %}}…{{% /inner %}}{{< /outer >}}`),
    taken off open_bodies with those opened inside it and never closed (Hugo fails such a
    page); None for no such one."""
    if all(opening.name != closing.name for _start, opening in open_bodies):
        return None
    while open_bodies:
        start, opening = open_bodies.pop()
        if opening.name == closing.name:
            return start, opening
    return None


class Fills(dict[str, Written]):
    """What each placeholder of a page stands for, and how much its shortcodes wrote in all
    (a ReadError past MAX_PAGE_WRITTEN)."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix
        self.written = 0

    def placeholder(self, value: Written) -> str:
        self._count(len(value) if isinstance(value, str) else sum(map(len, value)))
        token = f"{self.prefix}{len(self)}Z"
        self[token] = value
        return token

    def counted(self, text: str) -> str:
        """text a shortcode wrote into the page, counted."""
        self._count(len(text))
        return text

    def _count(self, characters: int) -> None:
        self.written += characters
        if self.written > MAX_PAGE_WRITTEN:
            raise ReadError(f"its shortcodes write more than {MAX_PAGE_WRITTEN:,} characters")


def render(text: str, path: str, metadata: dict[str, Any], site: Site) -> Expanded:
    """The text with shortcodes expanded (as placeholders), and warnings."""
    # "{" first: one character is looked for as memchr does, 20 times faster than three
    if "{" not in text or ("{{<" not in text and "{{%" not in text):
        return Expanded(text, [], {})
    fills = Fills(placeholder_prefix(text))
    placeholder = fills.placeholder
    pieces: list[str] = []
    warnings: list[str] = []
    open_bodies: list[tuple[int, Shortcode]] = []  # where each open body starts (of highlight, inline, own)
    inlines: dict[str, str] = {}  # what each inline shortcode defined so far writes
    own_template = functools.cache(lambda name: site_shortcodes.find(site, name))  # looked up once a name
    translations = functools.cache(lambda: hugo_i18n.translations(site, path))  # read when a T runs
    # .Page.Params: the page's front matter with what its sections cascade, when a site's shortcode runs
    params = functools.cache(lambda: hugo_sections.front_matter(site, metadata, path))
    position = 0
    ordinals: dict[int, int] = {}  # each shortcode's place among those of the page's own text (.Ordinal)
    for code in scan(text):
        pieces.append(text[position:code.start])
        position = code.end
        if not open_bodies and not code.closing and not code.literal:
            ordinals[code.start] = len(ordinals)
        if code.literal:
            pieces.append(code.literal)
        elif code.name.endswith(".inline") and code.self_closed:  # one defined before, used again
            pieces.append(placeholder(inlines.get(code.name, "")))
        elif (own := own_template(code.name)) and not own.uses_inner and not code.closing:
            builtin = _expand(code, path, metadata, site)  # what Hugo's own would write
            pieces.append(fills.counted(_own(code, own, "", placeholder, warnings, site, translations, builtin,
                                             ordinals, params(), path,
                                             open_bodies[-1][1].name if open_bodies else None)))
        elif code.name in BODY_SHORTCODES or code.name.endswith(".inline") or own:
            if not code.closing and not (own and code.self_closed):
                if len(open_bodies) == MAX_NESTED:
                    raise ReadError(f"shortcodes nested more than {MAX_NESTED} deep (line {code.line})")
                open_bodies.append((len(pieces), code))
                continue
            if (started := _closed_body(open_bodies, code) if code.closing else (len(pieces), code)) is None:
                continue
            start, opening = started
            body = "".join(pieces[start:])
            del pieces[start:]
            if own:
                pieces.append(fills.counted(_own(opening, own, body, placeholder, warnings, site, translations,
                                                 None, ordinals, params(), path,
                                                 open_bodies[-1][1].name if open_bodies else None)))
            elif code.name == "highlight":
                pieces.append(_placed(opening, _highlight(opening, body, site, text), site, placeholder))
            else:
                pieces.append(placeholder(run_inline(opening.name, opening.line, body, site, warnings, inlines)))
        elif code.closing:
            continue  # the end of a shortcode whose start was handled (or warned about)
        elif (expanded := _expand(code, path, metadata, site)) is not None:
            pieces.append(_placed(code, expanded, site, placeholder))
        else:  # a placeholder all the same: Hugo's keeps its line from being blank (an HTML block goes on)
            pieces.append(placeholder(""))
            warnings.append(f"line {code.line}: shortcode '{code.name}' is not one of Hugo's built-ins; "
                            "removed, its content kept")
    pieces.append(text[position:])
    return Expanded("".join(pieces), warnings, fills)
