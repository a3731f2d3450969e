"""The values and functions go_template.py runs: what a shortcode template's actions
compute, as Hugo's template functions compute it (those not here are Unsupported)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import unquote, urlsplit

from . import go_regex, hugo_emoji, hugo_toc

_VERB = re.compile(r"%[sdv%]|%")


class Unsupported(Exception):
    """Something only Hugo's template engine can run."""


@dataclass(frozen=True)
class Inner:
    """What the shortcode encloses, written as it is ("html"), as text ("text": `string`
    makes it a string, which html/template escapes), as Markdown to render ("markdown") or
    as a code block ("code", in language, with highlight options); cut at its ends as the
    template's trim and chomp cut it, in turn."""

    mode: str
    language: str = ""
    options: str = ""
    cuts: tuple[tuple[bool, str], ...] = ()  # (from both ends, else the end only; characters)

    def cut(self, text: str) -> str:
        for both, characters in self.cuts:
            text = text.strip(characters) if both else text.rstrip(characters)
        return text


class Safe(str):
    """A string that is HTML already (safeHTML, markdownify)."""


def truthy(value: Any) -> bool:
    return isinstance(value, Inner) or bool(value)


def _printf(form: str, *values: Any) -> str:
    queue = list(values)

    def verb(match: re.Match[str]) -> str:
        if match.group() == "%%":
            return "%"
        if match.group() == "%" or not queue:
            raise Unsupported(f"printf {form!r}")
        value = queue.pop(0)
        if match.group() == "%d" and not isinstance(value, int):
            raise Unsupported(f"printf %d of {value!r}")
        return as_text(value)
    return _VERB.sub(verb, form)


def _print(*values: Any) -> str:
    """print: Go's fmt.Sprint of strings, numbers and booleans, a space between two operands
    when neither is a string; plain text, escaped when written (safeHTML's mark is lost)."""
    if not all(isinstance(value, (str, int)) for value in values):
        raise Unsupported(f"print of {values!r}")
    return "".join((" " if index and not isinstance(value, str) and not isinstance(values[index - 1], str)
                    else "") + as_text(value) for index, value in enumerate(values))


def _index(collection: Any, *keys: Any) -> Any:
    for key in keys:
        try:
            collection = collection[key]
        except (LookupError, TypeError):
            raise Unsupported(f"index {key!r}") from None
    return collection


def _markdownify(value: Any) -> Any:
    return Inner("markdown", cuts=value.cuts) if isinstance(value, Inner) else Safe(html.escape(as_text(value)))


MARKDOWN_MARKUPS = ("", "markdown", "goldmark")  # what Hugo 0.111 renders ("md" fails its build)


def _render_string(*values: Any) -> Any:
    """.Page.RenderString [OPTIONS] VALUE: Markdown as markdownify renders it, or as a block
    (display "block": one paragraph keeps its <p>); other markups are Hugo's to render."""
    options, value = values if len(values) == 2 else ({}, *values)
    if not isinstance(options, dict):
        raise Unsupported(f"RenderString options {options!r}")
    markup, display = (as_text(options.get(key, default)).lower() for key, default in
                       (("markup", ""), ("display", "inline")))
    known = not set(options) - {"markup", "display"}
    if markup not in MARKDOWN_MARKUPS or display not in ("inline", "block") or not known:
        raise Unsupported(f"RenderString {options!r}")
    if isinstance(value, Inner) and display == "block":
        return Inner("markdown", options="block", cuts=value.cuts)
    return _markdownify(value)


def _part(take: Any) -> Any:
    """Hugo's first, last and after: a list's first N items, last N, or those after the first N."""
    def run(count: Any, items: Any) -> list[Any]:
        if not isinstance(items, list) or not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise Unsupported(f"{count!r} of {items!r}")
        return list(take(items, count))
    return run


def _dict(*values: Any) -> dict[str, Any]:
    """Hugo's dict: keys and values in turn; keys are strings."""
    if len(values) % 2 or not all(isinstance(key, str) for key in values[::2]):
        raise Unsupported(f"dict {values!r}")
    return dict(zip(values[::2], values[1::2]))


def _ordered(compare: Any) -> Any:
    """gt, lt, ge, le of two numbers or two strings (Hugo compares other kinds its own way),
    a list or map counting as its length (`gt $keys 1`)."""
    def run(first: Any, second: Any) -> bool:
        first, second = (len(value) if isinstance(value, list | dict) else value for value in (first, second))
        numbers = all(isinstance(value, int | float) and not isinstance(value, bool)
                      for value in (first, second))
        if not numbers and not all(isinstance(value, str) for value in (first, second)):
            raise Unsupported(f"comparing {first!r} and {second!r}")
        return bool(compare(first, second))
    return run


def _append(*values: Any) -> list[Any]:
    """Hugo's append: the items given first added to the list given last (`$keys | append
    $key`); one list given as the item adds its items."""
    if len(values) < 2 or not isinstance(values[-1], list):
        raise Unsupported(f"append {values!r}")
    items = values[0] if len(values) == 2 and isinstance(values[0], list) else values[:-1]
    return [*values[-1], *items]


def _delimit(items: Any, separator: Any, last: Any = None) -> Safe:
    """Hugo's delimit: a list's items (a map's values, by key) as text, separator between,
    last before the last one if given; HTML as it is."""
    if isinstance(items, dict):
        items = [items[key] for key in sorted(items)]
    if not isinstance(items, list):
        raise Unsupported(f"delimit {items!r}")
    texts = [as_text(item) for item in items]
    if last is not None and len(texts) > 1:
        return Safe(as_text(separator).join(texts[:-1]) + as_text(last) + texts[-1])
    return Safe(as_text(separator).join(texts))


def as_text(value: Any) -> str:
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _string(value: Any) -> Any:
    if isinstance(value, Inner):
        return replace(value, mode="text") if value.mode == "html" else value
    return as_text(value)


def _trim(value: Any, cutset: Any) -> Any:
    if isinstance(cutset, Inner):  # `.Inner | trim "\n"`: the enclosed text is the cutset
        raise Unsupported("trim by .Inner")
    return _cut(value, True, as_text(cutset))


def _cut(value: Any, both: bool, characters: str) -> Any:
    """trim (at both ends) and chomp (line ends at the end)."""
    if isinstance(value, Inner):
        return replace(value, cuts=value.cuts + ((both, characters),))
    return as_text(value).strip(characters) if both else as_text(value).rstrip(characters)


class ParsedURL(dict[str, str]):
    """What Hugo's urls.Parse gives: the fields of Go's url.URL a template reads; written, the
    address itself."""

    def __init__(self, address: str) -> None:
        parts = urlsplit(address)  # ValueError for what Go's url.Parse refuses too (a bad IPv6 host)
        host = parts.netloc.rpartition("@")[2]
        name = host[1:host.find("]")] if host.startswith("[") else host.partition(":")[0]
        super().__init__(Scheme=parts.scheme, Host=host, Hostname=name, Path=unquote(parts.path),
                         RawQuery=parts.query, Fragment=parts.fragment)
        self.address = address

    def __str__(self) -> str:
        return self.address


def fields_of(value: Any, names: str) -> Any:
    """A field of a value, field by field (`.Host`, `.a.b` of a map); Unsupported when it has none."""
    for name in names.split("."):
        if not isinstance(value, dict) or name not in value:
            raise Unsupported(f"field {name} of {value!r}")
        value = value[name]
    return value


def shortcode_params(arguments: dict[str, str], word: str) -> Any:
    """.Params (the named arguments, or the positional ones as a list), .IsNamedParams, or
    .Params.name: a named argument, nil when not given (Go reads a key a map lacks so)."""
    named = any(not key.isdigit() for key in arguments)
    if word == ".IsNamedParams":
        return named
    if word.startswith(".Params."):
        if not named:  # a field of a list, or of nil: Hugo stops with an error
            raise Unsupported(word)
        return map_key(dict(arguments), word.removeprefix(".Params."))
    return dict(arguments) if named else [arguments[key] for key in sorted(arguments, key=int)]


def site_field(site: dict[str, Any], names: str) -> Any:
    """`.Site.Params.a` (the configuration's params) or `.Site.Data.file.key` (the data
    folder's files) of site, {"params": …, "data": …}: keys matched whatever their case, as
    page_param; another field of the site is Unsupported (only Hugo has it)."""
    field_name, _dot, rest = names.partition(".")
    if field_name not in ("Params", "Data"):
        raise Unsupported(f".Site.{names}")
    values = site.get(field_name.lower()) or {}
    return page_param(values, rest) if rest else values


def map_key(mapping: dict[str, Any], names: str) -> Any:
    """`.url` where `.` is a map (an item of a range over site data): Go reads a key the map
    lacks as nil."""
    value: Any = mapping
    for name in names.split("."):
        if not isinstance(value, dict):
            raise Unsupported(f"field {name} of {value!r}")
        value = value.get(name)
    return value


def page_field(params: dict[str, Any], name: str) -> Any:
    """A field of the page: its front matter (`.Page.Params.a.b`, page_param) or its table of
    contents (.Page.TableOfContents: a marker the page's headings replace, hugo_toc.py)."""
    if name == "TableOfContents":
        return Safe(hugo_toc.MARKER)
    if name.startswith("Params."):
        return page_param(params, name.removeprefix("Params."))
    raise Unsupported(f".Page.{name}")  # .Page.Title and the rest: only Hugo has them


def page_param(params: dict[str, Any], names: str) -> Any:
    """A front matter value as `.Page.Params.a.b` reads it: Hugo keeps keys lowercased and
    its templates look them up so (`.Page.Params.Shown` finds `shown:` and `Shown:`)."""
    value: Any = params
    for name in names.lower().split("."):
        if not isinstance(value, dict):
            return None
        value = next((item for key, item in value.items() if str(key).lower() == name), None)
    if not isinstance(value, PARAM_TYPES):
        raise Unsupported(f".Page.Params.{names}")  # a date, say: written as Go writes it
    return value


def _replace(value: Any, old: Any, new: Any, limit: Any = -1) -> str:
    """Hugo's replace: every old (or the first limit of them; Go's strings.Replace)."""
    if not isinstance(limit, int) or isinstance(limit, bool):
        raise Unsupported(f"replace limit {limit!r}")
    return as_text(value).replace(as_text(old), as_text(new), limit)


def _find_re(pattern: str, value: Any, limit: int = -1) -> list[str]:
    found = go_regex.find_all(pattern, as_text(value), limit)
    if found is None:
        raise Unsupported(f"findRE {pattern!r}")
    return found


def _replace_re(pattern: str, replacement: Any, value: Any, limit: Any = -1) -> str:
    replaced = None if not isinstance(limit, int) or isinstance(limit, bool) else (
        go_regex.replace_all(pattern, as_text(replacement), as_text(value), limit))
    if replaced is None:
        raise Unsupported(f"replaceRE {pattern!r}")
    return replaced


def _isset(collection: Any, key: Any) -> bool:
    """Hugo's isset: a map's key (of the map's key type), a list's index below its length;
    false for anything else (no arguments: .Params is nil)."""
    if isinstance(collection, dict):
        return isinstance(key, str) and key in collection
    if isinstance(collection, list):
        if isinstance(key, str) and not key.strip().lstrip("-").isdigit():
            raise Unsupported(f"isset of index {key!r}")  # Hugo fails the build
        return len(collection) > int(key)
    return False


def _substr(value: Any, start: Any, length: Any = None) -> str:
    """Hugo's substr: from start (from the end when negative), length characters (up to
    that many from the end when negative), all the rest without one."""
    text, start = as_text(value), int(start)
    start = max(len(text) + start, 0) if start < 0 else start
    if start > len(text):
        raise Unsupported(f"substr at {start}")
    if length is None:
        return text[start:]
    length = int(length)
    return text[start:len(text) + length] if length < 0 else text[start:start + length]


def _in(collection: Any, value: Any) -> bool:
    """Hugo's in: an item of a list, or a part of a text."""
    if isinstance(collection, list):
        return any(_eq(item, value) for item in collection)
    if isinstance(collection, str):
        return as_text(value) in collection
    raise Unsupported(f"in {collection!r}")


def _eq(first: Any, *others: Any) -> bool:
    return any(first == other for other in others)


FUNCTIONS: dict[str, Any] = {
    "not": lambda value: not truthy(value),
    "and": lambda *values: next((value for value in values if not truthy(value)), values[-1]),
    "or": lambda *values: next((value for value in values if truthy(value)), values[-1]),
    "eq": _eq,
    "ne": lambda first, second: not _eq(first, second),
    "default": lambda fallback, value=None: value if truthy(value) else fallback,
    "isset": _isset,
    "substr": _substr,
    "in": _in,
    "slice": lambda *values: list(values),
    "append": _append,
    "delimit": _delimit,
    "printf": _printf,
    "print": _print,
    "urlize": lambda value: "-".join(as_text(value).split()).lower(),
    "lower": lambda value: as_text(value).lower(),
    "upper": lambda value: as_text(value).upper(),
    "trim": _trim,
    "chomp": lambda value: _cut(value, False, "\r\n"),
    "strings.TrimPrefix": lambda prefix, value: as_text(value).removeprefix(prefix),
    "strings.TrimSuffix": lambda suffix, value: as_text(value).removesuffix(suffix),
    "split": lambda value, separator: as_text(value).split(separator),
    "index": _index,
    "findRE": _find_re,
    "replaceRE": _replace_re,
    "string": _string,
    "safeHTML": lambda value: value if isinstance(value, Inner) else Safe(as_text(value)),
    "safeJS": lambda value: Safe(as_text(value)),  # in a script: no text of the page's
    "htmlEscape": as_text,
    "safeURL": as_text,  # a URL Go's escaper keeps from its check of schemes; still written escaped
    "markdownify": _markdownify,
    ".Page.RenderString": _render_string,
    "dict": _dict,
    "first": _part(lambda items, count: items[:count]),
    "last": _part(lambda items, count: items[len(items) - count:] if count else []),
    "after": _part(lambda items, count: items[count:]),
    "gt": _ordered(lambda first, second: first > second),
    "lt": _ordered(lambda first, second: first < second),
    "ge": _ordered(lambda first, second: first >= second),
    "le": _ordered(lambda first, second: first <= second),
    # Hugo's emojify scans with its older helper, which finds a code alone as its lexer does
    "emojify": lambda value: Safe(hugo_emoji.emojified(as_text(value))),
    "errorf": lambda *values: _refuse(values),
    "urls.Parse": lambda value: ParsedURL(as_text(value)),
    "replace": _replace,
    "strings.Replace": _replace,
    "strings.Contains": lambda value, part: as_text(part) in as_text(value),
    "strings.HasPrefix": lambda value, prefix: as_text(value).startswith(as_text(prefix)),
    "hasPrefix": lambda value, prefix: as_text(value).startswith(as_text(prefix)),
    "strings.HasSuffix": lambda value, suffix: as_text(value).endswith(as_text(suffix)),
    "len": lambda value: len(value.encode()) if isinstance(value, str) else len(value),  # Go: a string's bytes
}
PAGE_FIELDS = ".Page."  # `.Page.Params.name`, `.Page.TableOfContents` (page_field)
SITE_FIELDS = (".Site.", "site.", ".Page.Site.")  # `.Site.Params.name`, `site.Data.file.key`
PARAM_TYPES = (str, bool, int, float, list, dict, type(None))  # front matter values a template may write
FIELDS = (".", ".Inner", ".Get", ".Params", ".IsNamedParams", ".Ordinal", "T", "i18n")  # T, i18n: go_template runs them
TAKES_INNER = ("safeHTML", "markdownify", ".Page.RenderString", "default", "and", "or", "not", "string", "trim",
               "highlight", "chomp")


def _refuse(values: Any) -> Any:
    raise Unsupported(f"errorf {values!r}")
