"""`{% include_code path [lang:x] [lines:X-Y] [:hidefilename:] [:hidelink:] [:hideall:]
[codec:c] [title] %}` of Pelican's liquid_tags plugin, in a site that turns it on: the file
content/<CODE_DIR>/<path> (CODE_DIR 'code' by default) written as the plugin writes it, a
code block in a <figure> under a caption of the title, the file's name, the lines and a
download link. The plugin reads the file from the `content` folder of the folder Pelican runs
in, the site's root; here only a file inside feedsvc's content folder is read (site_files). A
tag the plugin would refuse (no such file, lines outside it, a caption with nothing in it) is
removed with a warning naming its line, where Pelican leaves the article out.

The figure's start and end go in as placeholders filled once the Markdown is rendered, as the
plugin stashes them: Python-Markdown reads each as a paragraph's text (the code block between
them is Markdown's), and writes one alone in its paragraph in the paragraph's place.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass

from .shortcodes import Fills, placeholder_prefix
from .site import Site
from .site_files import SiteFileError, read_bytes

# The tag, `{%` to the first `%}`: linear, as pelican_liquid_tags' patterns.
_TAG = re.compile(r"\{%\s*include_code\s([^%]*)%\}")
_LINES = re.compile(r"lines:(\d{1,9})-(\d{1,9})")
# The plugin's options, each optional, in the order its pattern takes them; the rest is the title.
_OPTIONS = ("lang:", "lines:", ":hidefilename:", ":hidelink:", ":hideall:", "codec:")
MAX_TAGS = 100  # a file's included files; further tags are removed with a warning
MAX_INCLUDED = 256 * 1024  # characters of code included in one file, all tags together


@dataclass
class Include:
    """A tag's arguments as the plugin reads them."""

    src: str
    options: dict[str, str]
    title: str


def parsed(markup: str) -> Include | None:
    """The tag's path, its options found in the plugin's order, and the title (what follows)."""
    src, _, rest = markup.strip().partition(" ")
    options: dict[str, str] = {}
    for option in _OPTIONS:
        rest = rest.lstrip()
        word = rest.split(None, 1)[0] if rest else ""
        flag, value = option.startswith(":"), word.removeprefix(option)
        if word == option if flag else (word.startswith(option) and value
                                        and (option != "lines:" or _LINES.fullmatch(word))):
            options[option] = option if flag else value
            rest = rest[len(word):]
    return Include(src, options, rest.strip()) if src else None


def _code(site: Site, include: Include) -> str:
    code_dir = str(site.data.get("CODE_DIR") or "code")
    data = read_bytes(site, posixpath.join("content", code_dir, include.src))
    try:
        code = data.decode(include.options.get("codec:") or "utf-8").replace("\r\n", "\n")
    except (LookupError, UnicodeDecodeError) as error:
        raise SiteFileError(f"file {include.src!r} cannot be decoded: {error}") from None
    if lines := include.options.get("lines:"):
        first, last = map(int, lines.split("-"))
        chosen = code.splitlines(keepends=True)[max(first - 1, 0):last]
        if not chosen:
            raise SiteFileError(f"lines {lines} are not in {include.src!r}")
        code = "".join(chosen[:-1] + [chosen[-1].rstrip()])
    return code


def _caption(site: Site, include: Include) -> str:
    if ":hideall:" in include.options:
        return ""
    if not include.title and ":hidefilename:" in include.options:
        raise SiteFileError("a caption without a title nor the file's name")
    parts = [f'<span class="liquid-tags-code-title">{html.escape(include.title)}</span>'] if include.title else []
    if ":hidefilename:" not in include.options:
        name = html.escape(posixpath.basename(include.src).strip())
        parts.append(f'<span class="liquid-tags-code-filename">{name}</span>')
    if lines := include.options.get("lines:"):
        parts.append(f'<span class="liquid-tags-code-lines">[Lines {lines}]</span>')
    if ":hidelink:" not in include.options:
        url = re.sub("/+", "/", f"/{site.data.get('CODE_DIR') or 'code'}/{include.src}")
        parts.append(f"<a href='{html.escape(url, quote=True)}'>download</a>")
    return "<figcaption>" + "".join(parts) + "</figcaption>"


def written(site: Site, include: Include, fills: Fills) -> str:
    """Markdown as the plugin writes it: the figure's start and caption, the code indented as
    a block (`:::lang` first, for codehilite), the figure's end, each on its line."""
    code = _code(site, include)
    opening = fills.placeholder("<figure class='code'>\n" + _caption(site, include))
    language = f":::{include.options['lang:']}\n    " if "lang:" in include.options else ""
    return opening + "\n\n    " + language + "\n    ".join(code.split("\n")) + "\n\n" + fills.placeholder("</figure>") + "\n"


def included(markdown: str, site: Site) -> tuple[str, list[str], Fills]:
    """markdown with each include_code tag written as its code (see above), or removed with a
    warning when the plugin would refuse it; what the placeholders stand for."""
    warnings: list[str] = []
    fills = Fills(placeholder_prefix(markdown))
    room = MAX_INCLUDED
    pieces, position, line, count = [], 0, 1, 0

    def refused(reason: str) -> None:
        if len(warnings) < MAX_TAGS:
            warnings.append(f"line {line}: include_code of the liquid_tags plugin: {reason}; removed")

    for found in _TAG.finditer(markdown):
        line += markdown.count("\n", position, found.start())
        pieces.append(markdown[position:found.start()])
        position, count = found.end(), count + 1
        include = parsed(found.group(1))
        if include is None or count > MAX_TAGS:
            refused("no file named" if include is None else f"more than {MAX_TAGS} in one article")
            continue
        try:
            code = written(site, include, fills)
        except SiteFileError as error:
            refused(str(error))
            continue
        if len(code) > room:
            refused(f"more than {MAX_INCLUDED:,} characters of code in one article")
            continue
        room -= len(code)
        pieces.append(code)
    return "".join(pieces) + markdown[position:], warnings, fills
