"""The part of Go's html/template that sites' shortcode templates use most, run as Hugo runs
it for one use of the shortcode:

    {{ .Get 0 }}, {{ .Get "name" }}, {{ .Inner }}, {{ . }}, {{ $name }}, "text", 1, true,
    {{ .Params }} (the positional arguments, or the named ones: .Params.name), {{ .IsNamedParams }},
    .Page.TableOfContents; {{ .Page.Params.name }} (a front matter value, keys matched whatever their
    case; a key the page lacks is nil; a date only Hugo writes), and so .Site.Params.name (.Page.Site
    is the site), .Site.Data.file.key (data/'s YAML, JSON); .key of a map (nil if absent)
    {{ $name := PIPELINE }}, {{ $name = PIPELINE }}; {{ if P }} … {{ else if P }} … {{ else }} … {{ end }}
    {{ with PIPELINE }} … {{ else }} … {{ end }}          (`.` is its value inside)
    {{ range [$i, $v :=] PIPELINE }} … {{ else }} … {{ end }} (a list, a map's values by key)
    {{ $.Get 0 }} and the like: the shortcode's fields, as `.Get` (from inside a block too);
    .Scratch.Set, .Add, .Get: the use's own pad; .Page.Scratch and .Page.Store's Set, Add (go_scratch)
    functions: not and or eq ne gt lt ge le default isset substr in slice dict first last
    after print printf (%s %d %v) urlize lower upper trim strings.TrimPrefix strings.TrimSuffix split
    replace strings.Replace strings.Contains strings.HasPrefix hasPrefix strings.HasSuffix
    index len findRE replaceRE (by RE2) string safeHTML safeURL htmlEscape emojify markdownify,
    .Page.RenderString (inline or as a block), errorf (a use Hugo refuses: not run here), T / i18n
    of an id the site's i18n files translate (hugo_i18n.py); urls.Parse, a map's field (`$u.Host`);
    relURL, absURL (go_urls); readFile, fileExists, path.Base, highlight (go_files); .Page.Resources (go_resources)

Values written into the page are HTML-escaped unless safeHTML or markdownify made them
HTML; HTML comments in the template write nothing (html/template drops them). Any other
action, function or field (partial, .Site.Title…) is Unsupported: the shortcode is then
handled as one only Hugo can run, checked where a use of the template reaches it, as Go
checks a field when it runs: an error guard Hugo's docs teach (`{{ if not $url }}{{ errorf
"… %s" .Position }}{{ end }}`) stops no use that gives its arguments. One forward scan of
each action reads its tokens; range blocks go over MAX_RANGED items at most.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import go_resources
from .go_files import Code
from .go_functions import (FIELDS, FUNCTIONS, PAGE_FIELDS, SITE_FIELDS, TAKES_INNER, Inner, Safe,
                           Unsupported, as_text, fields_of, map_key, page_field, shortcode_params,
                           site_field, truthy)
from .go_scratch import SCRATCH_PADS, scratch

MAX_DEPTH = 32  # nested blocks and parentheses
MAX_RANGED = 1000  # items range blocks go over in one use (a shortcode's arguments: a few)
MAX_WRITTEN = 64 * 1024  # characters a use writes once range blocks run (as much as its template may hold)
BLOCKS = ("if", "with", "range")
# A quoted value is taken possessively: 5 MB of an unclosed one took 1.5 s going back over it.
_TOKEN = re.compile(r"""\s*("(?:[^"\\]++|\\.)*+"|`[^`]*`|:=|[()|=]|[^\s()|=":`]+)""")
Node = tuple[Any, ...]


def strip_comments(text: str) -> str:
    """The template without its HTML comments (actions in them included)."""
    kept, position = [], 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        kept.append(text[position:start])
        position = len(text) if end < 0 else end + 3
    return "".join(kept) + text[position:]


_TRIMS = ("- ", "-\t", "-\n")  # `{{- /* … */ -}}`: a trim marker and its white space


def action_end(text: str, start: int) -> int:
    """Where the action opened at start closes (the index of its `}}`), -1 when it does not:
    a `}}` inside a quoted string is text, as Go's lexer reads it, and so is all of a comment
    up to its `*/` (`{{/* Usage: {{< name >}} */}}`)."""
    if text.startswith("/*", start) or text.startswith("/*", start + 2) and text[start:start + 2] in _TRIMS:
        close = text.find("*/", start + 2)
        end = text.find("}}", close)
        return end if close >= 0 and text[close + 2:end].strip(" \t\n-") == "" else -1
    position, quote = start, ""
    while position < len(text) - 1:
        char = text[position]
        if quote:
            if char == "\\" and quote == '"':
                position += 1
            elif char == quote or (char == "\n" and quote == '"'):
                quote = ""
        elif char in ('"', "`"):
            quote = char
        elif char == "}" and text[position + 1] == "}":
            return position
        position += 1
    return -1


def tokens(source: str) -> list[str]:
    found: list[str] = []
    position = 0
    while position < len(source.rstrip()):
        match = _TOKEN.match(source, position)
        if not match:
            raise Unsupported(source[position:position + 20])
        word = match.group(1)
        if word[:1] == "." and found[-1:] == [")"] and match.start(1) == position:
            found[-1] += word  # `(urls.Parse $u).Host`: a field of what the parentheses give
        else:  # `$` is the shortcode's own context, whose fields (.Get, .Inner, .Params) are read
            # the same wherever `.` is: `$.Get` in a with or range block is `.Get`
            found.append(word[1:] if word.startswith("$.") else word)
        position = match.end()
    return found


def _pipeline(words: list[str], at: int, depth: int) -> tuple[list[list[Any]], int]:
    """Commands of a pipeline from words[at:] up to a closing parenthesis or the end."""
    if depth > MAX_DEPTH:
        raise Unsupported("nested too deep")
    commands: list[list[Any]] = [[]]
    while at < len(words) and words[at][:1] != ")":
        word = words[at]
        if word == "|":
            commands.append([])
        elif word == "(":
            inner, at = _pipeline(words, at + 1, depth + 1)
            commands[-1].append(inner + [[words[at][1:]]] if words[at:at + 1] not in ([], [")"]) else inner)
        elif word in (":=", "="):
            raise Unsupported("assignment inside a pipeline")
        else:
            commands[-1].append(word)
        at += 1
    if not all(commands):
        raise Unsupported("empty command")
    return commands, at


def pipeline(words: list[str]) -> list[list[Any]]:
    if (found := _pipeline(words, 0, 0))[1] != len(words):
        raise Unsupported("unbalanced parenthesis")
    return found[0]


def _action(source: str) -> Node:
    """One action as a node: ("output", p), ("assign", name, p), ("if", p), ("with", p),
    ("else",), ("elseif", p), ("end",); ("skip",) for a comment."""
    source = source.strip()
    if source.startswith("/*") and source.endswith("*/"):
        return ("skip",)
    words = tokens(source)
    if not words:
        raise Unsupported("empty action")
    head = words[0]
    if head in ("if", "with"):
        return (head, pipeline(words[1:]))
    if head == "range":
        return _range(words[1:])
    if head == "else":
        return ("elseif", pipeline(words[2:])) if words[1:2] == ["if"] else ("else",)
    if head == "end":
        return ("end",)
    if head.startswith("$") and len(words) > 2 and words[1] in (":=", "="):
        return ("assign", head, pipeline(words[2:]))
    return ("output", pipeline(words))


def _range(words: list[str]) -> Node:
    """("range", pipeline, variable names): `range P`, `range $v := P`, `range $i, $v := P`."""
    if ":=" not in words[:4]:
        return ("range", pipeline(words), ())
    at = words.index(":=")
    names = tuple(name for name in " ".join(words[:at]).replace(",", " ").split())
    if not 1 <= len(names) <= 2 or not all(name.startswith("$") for name in names):
        raise Unsupported("range variables")
    return ("range", pipeline(words[at + 1:]), names)


def _block(nodes: list[Node], at: int, depth: int) -> tuple[list[Node], int, Node | None]:
    """Nodes up to the else or end that closes a block: (nodes, next position, that action)."""
    if depth > MAX_DEPTH:
        raise Unsupported("blocks nested too deep")
    found: list[Node] = []
    while at < len(nodes):
        node = nodes[at]
        at += 1
        if node[0] in ("else", "elseif", "end"):
            return found, at, node
        if node[0] in BLOCKS:
            conditional, at = _conditional(node, nodes, at, depth + 1)
            found.append(conditional)
        elif node[0] != "skip":
            found.append(node)
    return found, at, None


def _conditional(opening: Node, nodes: list[Node], at: int, depth: int) -> tuple[Node, int]:
    """(kind, [(condition, nodes), ...], nodes otherwise) of an if or with block."""
    branches, condition = [], opening[1]
    while True:
        body, at, closer = _block(nodes, at, depth)
        branches.append((condition, body))
        if closer is None:
            raise Unsupported(f"{opening[0]} without end")
        if closer[0] == "end":
            return (opening[0], branches, [], *opening[2:]), at
        if closer[0] == "elseif" and opening[0] == "if":
            condition = closer[1]
            continue
        if closer[0] == "elseif":
            raise Unsupported("with ... else if")
        otherwise, at, closer = _block(nodes, at, depth)
        if closer is None or closer[0] != "end":
            raise Unsupported(f"{opening[0]} without end")
        return (opening[0], branches, otherwise, *opening[2:]), at


def build(segments: list[tuple[str, str]]) -> list[Node]:
    """The template's tree from its ("text", text) and ("action", source) segments."""
    nodes = [("text", value) if kind == "text" else _action(value) for kind, value in segments]
    tree, at, closer = _block(nodes, 0, 0)
    if closer is not None:
        raise Unsupported(f"{closer[0]} without a block")
    return tree


def _words(tree: list[Node]) -> list[Any]:
    """Every command's words, through blocks and parentheses, in order."""
    found: list[Any] = []

    def pipeline_words(commands: list[list[Any]]) -> None:
        for command in commands:
            for word in command:
                if isinstance(word, list):
                    pipeline_words(word)
                else:
                    found.append(word)
            found.append("|")

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            if node[0] in ("output", "assign"):
                pipeline_words(node[-1])
            elif node[0] in BLOCKS:
                for condition, body in node[1]:
                    pipeline_words(condition)
                    walk(body)
                walk(node[2])
    walk(tree)
    return found


def inner_mode(tree: list[Node]) -> str:
    """How the template writes what the shortcode encloses: "markdown", "html", or "" (not)."""
    words = _words(tree)
    if ".Inner" not in words:
        return ""
    return "markdown" if {"markdownify", ".Page.RenderString"} & set(words) else "html"


@dataclass
class _Run:
    arguments: dict[str, str]
    variables: dict[str, Any]
    written: list[Any]
    translations: Callable[[], dict[str, str]] = dict
    ordinal: int = 0  # the shortcode's place among the page's (Hugo's .Ordinal, from 0)
    scratch: dict[str, Any] = field(default_factory=dict)  # the use's own .Scratch
    ranged: int = 0  # items gone over by range blocks, at most MAX_RANGED
    size: int = 0  # characters written, at most MAX_WRITTEN once a range block runs
    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)  # the site's own (go_urls)
    page_params: dict[str, Any] = field(default_factory=dict)  # the page's front matter (.Page.Params)
    site: Callable[[], dict[str, Any]] = dict  # {"params": …, "data": …} when a template asks (.Site.Data)


def _operand(word: Any, run: _Run, dot: Any) -> Any:
    if isinstance(word, list):
        return _pipe(word, run, dot)
    if word[:1] == '"':
        return word[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    if word[:1] == "`":
        return word[1:-1]
    if word.lstrip("-").isdigit():
        return int(word)
    if word in ("true", "false", "nil"):
        return {"true": True, "false": False, "nil": None}[word]
    if word == ".":
        return dot
    if word == ".Inner":
        return Inner("html")
    if word == ".Ordinal":
        return run.ordinal
    if word in (".Params", ".IsNamedParams") or word.startswith(".Params."):
        return shortcode_params(run.arguments, word)
    if word.startswith(SITE_FIELDS):  # before the page's: `.Page.Site` is the site
        return site_field(run.site(), word.partition(".Site.")[2] or word[len("site."):])
    if word.startswith(PAGE_FIELDS):
        return page_field(run.page_params, word[len(PAGE_FIELDS):])
    if word[:1] == "." and isinstance(dot, dict):  # a map's key: `.url` in a range over site data
        return map_key(dot, word[1:])
    if word in run.variables:
        return run.variables[word]
    if (variable := word.partition(".")[0]) in run.variables:  # `$u.Host`
        return fields_of(run.variables[variable], word.partition(".")[2])
    raise Unsupported(str(word))


def _command(words: list[Any], piped: list[Any], run: _Run, dot: Any) -> Any:
    head = words[0]
    if head == ".Get":
        if len(words) != 2 or piped:
            raise Unsupported(".Get")
        return run.arguments.get(str(_operand(words[1], run, dot)))
    if isinstance(head, str) and head.startswith(SCRATCH_PADS):
        return scratch(head, [_operand(word, run, dot) for word in words[1:]] + piped, run.scratch)
    if head in ("T", "i18n"):  # the site's translation of an id; one it lacks is Hugo's to handle
        translated = run.translations().get(str(_operand(words[1], run, dot))) if len(words) == 2 else None
        if translated is None or piped:
            raise Unsupported(head)
        return translated
    if isinstance(head, str) and (function := FUNCTIONS.get(head) or run.functions.get(head)):
        values = [_operand(word, run, dot) for word in words[1:]] + piped
        if head not in TAKES_INNER and any(isinstance(value, Inner) for value in values):
            raise Unsupported(f"{head} of .Inner")
        try:
            return function(*values)
        except (TypeError, ValueError, IndexError):
            raise Unsupported(f"{head} {values!r}") from None
    if len(words) == 1 and len(piped) == 1 and isinstance(head, str) and head[:1] == ".":
        return fields_of(piped[0], head[1:])  # a field of what parentheses before it gave (tokens)
    if isinstance(head, str) and (processed := go_resources.method(head, run.variables, dot)):
        return processed(*[_operand(word, run, dot) for word in words[1:]], *piped)  # `$img.Resize "…"`
    if len(words) > 1 or piped:
        raise Unsupported(f"{head} with arguments")
    return _operand(head, run, dot)


def _pipe(commands: list[list[Any]], run: _Run, dot: Any) -> Any:
    value = _command(commands[0], [], run, dot)
    for command in commands[1:]:
        value = _command(command, [value], run, dot)
    return value


def _written(value: Any) -> Any:
    if isinstance(value, Inner | Safe | Code):
        return value
    return html.escape(as_text(value), quote=True)


def _execute(nodes: list[Node], run: _Run, dot: Any) -> None:
    for node in nodes:
        if node[0] in ("text", "output"):
            written = node[1] if node[0] == "text" else _written(_pipe(node[1], run, dot))
            run.written.append(written)
            run.size += len(written) if isinstance(written, str) else 0
        elif node[0] == "assign":
            run.variables[node[1]] = _pipe(node[2], run, dot)
        elif node[0] == "range":
            _range_run(node, run, dot)
        else:
            for condition, body in node[1]:
                value = _pipe(condition, run, dot)
                if truthy(value):
                    _execute(body, run, value if node[0] == "with" else dot)
                    break
            else:
                _execute(node[2], run, dot)


def _range_run(node: Node, run: _Run, dot: Any) -> None:
    """A range block: its body for each item of a list (or each value of a map, by its
    sorted keys, as Go ranges), with `.` and its variables set; its else part for none."""
    condition, body = node[1][0]
    value = _pipe(condition, run, dot)
    if isinstance(value, dict):
        items = [(key, value[key]) for key in sorted(value)]
    elif isinstance(value, list):
        items = list(enumerate(value))
    elif value is None:
        items = []
    else:
        raise Unsupported(f"range over {value!r}")
    run.ranged += len(items)
    if run.ranged > MAX_RANGED:
        raise Unsupported("range over too many items")
    if not items:
        _execute(node[2], run, dot)
    for key, item in items:
        names = node[3]
        run.variables.update(zip(names, (key, item) if len(names) == 2 else (item,)))
        _execute(body, run, item)
        if run.size > MAX_WRITTEN:
            raise Unsupported("range writing too much")


def execute(tree: list[Node], arguments: dict[str, str], translations: Callable[[], dict[str, str]] = dict,
            ordinal: int = 0, functions: dict[str, Callable[..., Any]] | None = None,
            page_params: dict[str, Any] | None = None, site: Callable[[], dict[str, Any]] = dict,
            fields: dict[str, Any] | None = None) -> list[Any]:
    """What the template writes for these arguments (and the page's translations, for `T`;
    functions of the site's, as relURL; the page's front matter; the site's params and data,
    asked for when read; fields of the use known beforehand, as .Parent): HTML strings, and Inner
    where what the shortcode encloses goes; Unsupported when it takes a way only Hugo can run."""
    run = _Run(arguments, dict(fields or {}), [], translations, ordinal, functions=functions or {},
               page_params=page_params or {}, site=site)
    _execute(tree, run, None)
    return run.written
