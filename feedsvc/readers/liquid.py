"""Jekyll's Liquid in posts, rendered as Jekyll renders it before Markdown: by python-liquid,
given `site.*` (the site's _config.yml) and `page.*` (the post's front matter).

Jekyll's own tags are turned into standard Liquid or text first: `highlight` (a code block,
its body rendered then escaped), `link` and `post_url` (addresses), `include` (a file of
`_includes/`, rendered with its `include.*` parameters; missing, it is removed with a
warning). `raw` keeps template syntax literally, as in Jekyll. A tag Liquid does not know
is removed, keeping what it encloses, with a warning naming the line and the tag.

Tags are found by forward scans (liquid_syntax), and the renderer runs under limits of loop
iterations, output size and nesting: hostile templates cost a bounded time and memory. A
template that still fails to render is published with its template syntax removed, and a
warning.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from liquid import Environment
from liquid.exceptions import LiquidError
from liquid.mode import Mode

from . import liquid_dates, liquid_includes
from .jekyll_collections import collection_names, collections_folder, load_collections
from .jekyll_data import cached_data
from .jekyll_urls import Permalinks, jekyll_slugify, site_permalinks
from .liquid_syntax import Tag, lexable, loose_capture, markup_characters, outside_raw, strip_template_syntax, tags
from .site import JEKYLL_DATA, Site
from ..dates import file_name_date
from ..urls import article_slug, article_url

MAX_INCLUDE_BYTES = 256 * 1024
MAX_OUTPUT = 4 * 1024 * 1024
# Includes a post puts in, and the bytes read for them in all (a survey's bar chart includes one
# small file per bar, 242 of them); the output is bounded at MAX_OUTPUT anyway.
MAX_INCLUDES = 1_000
MAX_INCLUDED_BYTES = MAX_OUTPUT
# The site of the post being rendered, for filters (python-liquid gives them the value alone).
_site: ContextVar[Site] = ContextVar("liquid_site", default=Site())
# `{{` and `{%` in a post, and the characters of its tags and outputs: python-liquid parses
# each tag or output at 100-200 µs, and their expressions at 1-4 µs a character (4,000 outputs
# of 40 filters took 1.9 s, of `a.b.b...` 100 deep 3.1 s). Jekyll's own history page, the
# longest seen, has 3,031 outputs of 60,000 characters; a long post a few hundred.
MAX_MARKUP = 4_000
MAX_MARKUP_CHARACTERS = 150_000
# Tags python-liquid renders itself, with their end tags.
STANDARD_TAGS = {
    "assign", "capture", "case", "when", "else", "elsif", "comment", "cycle", "decrement",
    "echo", "for", "break", "continue", "if", "ifchanged", "increment", "liquid", "raw",
    "tablerow", "unless", "include", "render", "#",
}
_INCLUDE_NAME = re.compile(r"[\w][\w./-]*")
_INVALID_SEQUENCE = re.compile(r"[./]{2}")  # Jekyll's refused in an include's name
_FAILURES = (LiquidError, RecursionError, ValueError, TypeError)
# The variable an output starts with (page.title, list[0]), as lax Liquid takes it.
_LAX_START = re.compile(r"-?\s*([A-Za-z_][\w-]*+(?:\.[\w-]++|\[\d{1,9}\])*+)")
# Or the literal it starts with: a whole number or a quoted string (lax Liquid's first
# fragment; a fragment that is neither, `7*7` or `<%`, names no variable: nothing).
_LAX_LITERAL = re.compile(r"""-?\s*+(-?\d{1,30}+(?![^\s,|'"])|"[^"]*+"|'[^']*+')""")
# A tag's target written as an output; the spaces taken possessively at both ends, so that no
# run of them is shared out between the parts (5,000 spaces with no `}}`: 84 s).
_OUTPUT = re.compile(r"\{\{\s*+([^{}\s]++(?:\s++[^{}\s]++)*+)\s*+\}\}")



class _Bounded(Environment):
    """Limits a post cannot go past: a template's loops, output and nesting."""

    loop_iteration_limit: ClassVar[int | None] = 100_000
    output_stream_limit: ClassVar[int | None] = MAX_OUTPUT
    local_namespace_limit: ClassVar[int | None] = 1_000_000
    context_depth_limit: ClassVar[int] = 10


def _markdownify(value: Any) -> str:
    """Jekyll's markdownify: the text as the site renders Markdown (its kramdown), as HTML."""
    from . import markdown  # noqa: PLC0415 - markdown imports the module that imports this one

    return markdown.render_as(str(value if value is not None else ""), _site.get())


def _group_by(items: Any, key: Any) -> Any:
    """Jekyll's group_by: the items by the text of their key, in the order each text first comes."""
    if not isinstance(items, (list, tuple)):
        return items
    groups: dict[str, list[Any]] = {}
    for item in items:
        value = item.get(str(key)) if isinstance(item, dict) else None
        text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        groups.setdefault(text, []).append(item)
    return [{"name": name, "items": grouped, "size": len(grouped)} for name, grouped in groups.items()]


def _jsonify(value: Any) -> str:
    import json

    return json.dumps(value, default=str, ensure_ascii=False)


# Strict: a template Liquid cannot parse raises, and is published without its syntax (lax
# mode silently drops the rest of the text after an unclosed block).
_ENVIRONMENT = _Bounded(tolerance=Mode.STRICT, strict_filters=False)
_FILTERS: dict[str, Callable[..., Any]] = {
    "jsonify": _jsonify,
    "markdownify": _markdownify,
    "feedsvc_parameters": liquid_includes.gathered,
    "feedsvc_address": lambda target, base, kind: _address_of(target, base, kind),
    "slugify": jekyll_slugify,
    "group_by": _group_by,
    "xml_escape": lambda value: html.escape(str(value)),
    "cgi_escape": lambda value: __import__("urllib.parse").parse.quote_plus(str(value)),
    "uri_escape": lambda value: __import__("urllib.parse").parse.quote(str(value), safe="/:?&=#"),
    "number_of_words": lambda value: len(str(value).split()),
    "smartify": str,
    "feedsvc_line_numbers": lambda code: "\n".join(map(str, range(1, str(code).count("\n") + 2))),
    "relative_url": str,
    "absolute_url": str,
    "array_to_sentence_string": lambda items: ", ".join(map(str, items[:-1])) + (
        f" and {items[-1]}" if len(items) > 1 else "".join(map(str, items))),
}
for _name, _filter in {**_FILTERS, **liquid_dates.FILTERS}.items():
    _ENVIRONMENT.add_filter(_name, _filter)


@dataclass
class _Context:
    site: Site
    path: str
    warnings: list[str]
    includes: int = 0
    included: int = 0  # characters of the includes read
    markup: int = 0  # tags and outputs of the includes put in so far
    highlight: str = ""  # the language of the highlight block being read
    line_numbers: bool = False  # and whether it numbers its lines
    include_variable: str = "include"  # the variable of the include being read (none: the post's)


def _include(tag: Tag, context: _Context, page: dict[str, Any]) -> str:
    """A Jekyll include: the file from `_includes/` (include_relative: from the post's own
    folder, within the site), put in the post's template with its `include` given its value
    there, as Jekyll renders it in the post's context: a mapping of its parameters (a quoted
    one text, an unquoted one a variable read when the post is rendered: one the post or an
    outer include assigns, `page.x`, an outer `include.y`), each include's under a name of its
    own; an include given none sees the `include` of the one it is in, as in Jekyll."""
    name_match = _INCLUDE_NAME.match(tag.markup)
    name = name_match.group(0) if name_match else ""
    path = _include_path(tag.name == "include_relative", name, context) if name and context.site.kind else None
    if path is None or context.includes >= MAX_INCLUDES or context.included >= MAX_INCLUDED_BYTES:
        shown = name or tag.markup[:40]
        context.warnings.append(f"line {tag.line}: Liquid {tag.name} {shown!r} not found; removed")
        return ""
    context.includes += 1
    source = path.read_bytes()[:min(MAX_INCLUDE_BYTES, MAX_INCLUDED_BYTES - context.included)].decode(
        "utf-8", errors="replace")
    context.included += len(source)
    context.markup += source.count("{%") + source.count("{{")
    if context.markup > MAX_MARKUP:  # the post is published without its syntax (render)
        return ""
    parameters = list(liquid_includes.PARAMETER.finditer(tag.markup[len(name):]))
    outer = context.include_variable
    assigned = ""
    if parameters:
        context.include_variable = f"feedsvc_include_{context.includes}"
        assigned = liquid_includes.assigned_mapping(context.include_variable, parameters)
    try:
        return assigned + _jekyll_tags(liquid_includes.readable_lookups(source, context.include_variable),
                                       context, page)
    finally:
        context.include_variable = outer


def _include_path(relative: bool, name: str, context: _Context) -> Path | None:
    """The file an include names, if it is one inside its folder (no escape by `..` or a
    symbolic link): `_includes/`, or the post's own folder inside the site for include_relative
    (a name with `..` or `//` refused, as Jekyll refuses it)."""
    site = context.site
    if relative:
        folder = os.path.realpath((site.content_dir / context.path).parent)
        inside_of = os.path.realpath(site.root)
        if _INVALID_SEQUENCE.search(name):
            return None
    else:
        folder = inside_of = os.path.realpath(site.root / "_includes")
    path = Path(os.path.realpath(os.path.join(folder, name)))
    return path if str(path).startswith(inside_of + os.sep) and path.is_file() else None


def _address(tag: Tag, context: _Context) -> str:
    """`link` and `post_url`: the page's address on the site (a post is an article here too).
    A target written as a variable (`{% link {{ image }} %}`) is the variable's value, as
    Jekyll renders it first: the address is then made when the post is rendered."""
    base = str(context.site.data.get("url") or "").rstrip("/") + str(context.site.data.get("baseurl") or "")
    variable = _OUTPUT.fullmatch(tag.markup)
    if variable:
        return f"{{{{ {variable.group(1)} | feedsvc_address: {_jsonify(base)}, {_jsonify(tag.name)} }}}}"
    return _address_of(tag.markup.split()[0] if tag.markup else "", base, tag.name)


def _address_of(target: Any, base: str, kind: str) -> str:
    target = str(target if target is not None else "")
    if kind == "post_url":
        return article_url(base, article_slug('_posts/' + target, {}))
    stem = target.rsplit(".", 1)[0] if "." in target.rsplit("/", 1)[-1] else target
    return f"{base}/{stem}.html"


def _highlight(tag: Tag, context: _Context) -> str:
    """`{% highlight ruby linenos %}`: the code is captured, to be written at its end tag."""
    words = tag.markup.split()
    context.highlight = html.escape(words[0]) if words else ""
    context.line_numbers = any(word.split("=")[0] == "linenos" for word in words[1:])
    return "{% capture feedsvc_code %}"


def _end_highlight(context: _Context) -> str:
    """The captured code, escaped, marked with its language as Jekyll's tag marks it; with
    `linenos`, its line numbers in a column beside it, as Jekyll's Rouge writes them."""
    language = context.highlight
    attribute = f' class="language-{language}" data-lang="{language}"' if language else ""
    code = f"<pre><code{attribute}>{{{{ feedsvc_code | strip | escape }}}}</code></pre>"
    if context.line_numbers:
        code = ('<table class="rouge-table"><tr><td class="gutter gl"><pre class="lineno">'
                f'{{{{ feedsvc_code | strip | feedsvc_line_numbers }}}}</pre></td><td class="code">{code}</td></tr></table>')
    return "{% endcapture %}" + code


def _jekyll_tags(text: str, context: _Context, page: dict[str, Any]) -> str:
    """Jekyll's tags as standard Liquid or text; unknown tags removed with a warning."""
    pieces: list[str] = []
    position = 0
    raw_until = -1
    for tag in tags(text):
        if tag.start < raw_until:
            continue
        pieces.append(text[position:tag.start])
        position = tag.end
        name = tag.name
        if name == "raw":
            close = text.find("endraw", tag.end)
            raw_until = text.find("%}", close) if close >= 0 else len(text)
            pieces.append(text[tag.start:tag.end])
        elif name == "highlight":
            pieces.append(_highlight(tag, context))
        elif name == "endhighlight":
            pieces.append(_end_highlight(context))
        elif name in ("link", "post_url"):
            pieces.append(_address(tag, context))
        elif name in ("include", "include_relative"):
            pieces.append(_include(tag, context, page))
        elif name == "capture":
            pieces.append(loose_capture(text[tag.start:tag.end], tag.markup))
        elif name in STANDARD_TAGS or name.startswith("end") and name[3:] in STANDARD_TAGS:
            pieces.append(text[tag.start:tag.end])
        else:
            context.warnings.append(f"line {tag.line}: unknown Liquid tag '{name}' removed"
                                    + ("" if name.startswith("end") else ", its content kept"))
    pieces.append(text[position:])
    return "".join(pieces)


def _render(text: str, context: _Context, variables: dict[str, Any]) -> str:
    """The template rendered; one an output written loosely breaks (`{{ input type="text" }}`)
    or a lookup python-liquid does not read (`page.[key]`) rendered again with them read as
    Jekyll's lax Liquid reads them; one that still fails is published without its template
    syntax, with a warning."""
    lexed = lexable(text)
    if lexed != text:
        context.warnings.append("Liquid: a '{{' or '{%' that nothing closes, or a raw tag without "
                                "endraw, kept as text (Jekyll stops at it)")
    try:
        return _ENVIRONMENT.from_string(lexed).render(site=_site_variables(context.site), **variables)
    except _FAILURES as exc:
        failure = exc
    loose = outside_raw(liquid_includes.readable_lookups(text, "include"), _lax_outputs)
    if loose != text:
        try:
            template = _ENVIRONMENT.from_string(lexable(loose))
            return template.render(site=_site_variables(context.site), **variables)
        except _FAILURES as exc:
            failure = exc
    context.warnings.append(f"Liquid could not render the post ({type(failure).__name__}: "
                            f"{str(failure).splitlines()[0][:120]}); template syntax removed")
    return strip_template_syntax(text)


def _lax_outputs(text: str) -> str:
    """Each output strict Liquid cannot parse reduced to the variable or literal it starts with
    (nothing when none), as lax Liquid reads it: `{{ input type="text" }}` is `{{ input }}`,
    `{{1 + 1}}` is 1."""
    pieces, position = [], 0
    for output in tags(text, "{{", "}}"):
        written = text[output.start:output.end]
        try:
            _ENVIRONMENT.from_string(written)
            continue
        except _FAILURES:
            pass
        start = _LAX_START.match(written, 2) or _LAX_LITERAL.match(written, 2)
        pieces += [text[position:output.start], "{{ " + start.group(1) + " }}" if start else ""]
        position = output.end
    return "".join(pieces) + text[position:]


def _site_variables(site: Site) -> dict[str, Any]:
    """Jekyll's `site.*`: the configuration, `site.data` from the site's `_data/`, and its
    collections' documents (a collection's name before a setting's, as in Jekyll)."""
    if site.kind != "jekyll":
        return site.data
    return {**site.data,
            "data": cached_data(site.root / JEKYLL_DATA, site.fingerprint),  # counts _data/ (site.py)
            **_site_collections(site.root, site.fingerprint, tuple(collection_names(site.data)),
                                collections_folder(site.data), site_permalinks(site.data))}


@lru_cache(maxsize=8)
def _site_collections(root: Path, _fingerprint: str, names: tuple[str, ...], base: str,
                      permalinks: Permalinks) -> dict[str, Any]:
    return load_collections(root, names, base, permalinks) if names else {}


def render(text: str, path: str, metadata: dict[str, Any], site: Site) -> tuple[str, list[str]]:
    """A Jekyll post's body with its Liquid rendered, and warnings."""
    if "{%" not in text and "{{" not in text:
        return text, []
    if (markup := text.count("{%") + text.count("{{")) > MAX_MARKUP:
        return strip_template_syntax(text), [f"Liquid: {markup:,} tags and outputs, over the limit of "
                                             f"{MAX_MARKUP:,}; template syntax removed"]
    if (characters := markup_characters(text)) > MAX_MARKUP_CHARACTERS:
        return strip_template_syntax(text), [f"Liquid: {characters:,} characters of tags and outputs, "
                                             f"over the limit of {MAX_MARKUP_CHARACTERS:,}; template syntax "
                                             "removed"]
    context = _Context(site, path, [])
    page = {**metadata, "path": path}
    named = file_name_date(path)
    if "date" not in page and named:  # Jekyll dates a post by its file name when none is written
        page["date"] = named[0]
    token = _site.set(site)
    try:
        template = _jekyll_tags(text, context, page)
        # with its includes, and Jekyll's tags written in Liquid (a highlight block is three)
        written = template.count("{%") + template.count("{{")
        if markup + context.markup > MAX_MARKUP or written > MAX_MARKUP:
            return strip_template_syntax(text), [*context.warnings, f"Liquid: over {MAX_MARKUP:,} tags and "
                                                 "outputs with its includes and Jekyll's tags; template "
                                                 "syntax removed"]
        rendered = _render(template, context, {"page": page})
    finally:
        _site.reset(token)
    return rendered, context.warnings
