"""reStructuredText (Pelican's default format), rendered by docutils, with its metadata as
Pelican reads it: the document title, and the field list right after it (docinfo):

    The winter concert
    ##################

    :date: 2021-12-12 19:30
    :tags: music, winter
    :category: Culture
    :authors: Ola Nord; Kari Sund
    :summary: A concert in the church.

Directives that read other files are off: `include`, and the `file`/`url` options of `raw`,
tables and others (they could read outside the content folder). `.. raw:: html` passes its
HTML through, as Pelican publishes it; like a Markdown article's HTML, it is sanitized with
the rest (normalize.sanitize_html).
docutils' own messages (a broken table, say) become warnings; its error messages are not
published. In a Pelican site a message at Pelican's halt level (a warning or worse, or
DOCUTILS_SETTINGS' halt_level) makes the file no article, as Pelican skips it ("Could not
process"): a title's underline too short, an unknown directive (a plugin's, without it), and
so does an error docutils fails with (a substitution's text naming an undefined one).
DOCUTILS_SETTINGS' language_code and smart_quotes are the site's, as Pelican hands them on.
"""

from __future__ import annotations

import functools
import html
import io
import re
from typing import Any

from ..errors import NotAnArticle, ReadError
from ..model import RawArticle
from ..text import check_count, count_matches
from .markdown import title_from_file_name
from . import pelican, templates

SETTINGS = {
    "raw_enabled": True,  # `raw` without its file and url options (file_insertion_enabled)
    "file_insertion_enabled": False,
    "_disable_config": True,  # no docutils.conf from the working directory or home
    "input_encoding": "unicode",
    "output_encoding": "unicode",
    "report_level": 2,  # warnings and errors are reported (as warnings of the article)
    "halt_level": 5,  # never stop on an error: publish what could be read
    "initial_header_level": 2,
    "syntax_highlight": "none",
    "embed_stylesheet": False,
    "doctitle_xform": True,
    "docinfo_xform": True,
    "sectsubtitle_xform": False,
    "line_length_limit": 10_000,
    "traceback": True,
}
# Bibliographic fields docutils turns into their own nodes; Pelican reads them by tag name.
# The options of Pelican's code-block directive (Pygments' HTML formatter's).
PYGMENTS_OPTIONS = ("anchorlinenos", "classprefix", "hl_lines", "lineanchors", "linenos", "linenospecial",
                    "linenostart", "linenostep", "lineseparator", "linespans", "nobackground", "nowrap",
                    "tagsfile", "tagurlformat")
# docutils' names of its levels, as DOCUTILS_SETTINGS may give halt_level
HALT_LEVELS = {"info": 1, "warning": 2, "error": 3, "severe": 4, "none": 5}
# Messages for what only feedsvc turns off (SETTINGS: file insertion): Pelican reads on.
OWN_MESSAGES = ("directive disabled", "access deactivated")
_EXPLANATION = re.compile(r"\(([^()]*)\)$")
# A language tag as DEFAULT_LANG writes one (`de`, `pt_BR`, `zh-cn`)
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}")
MAX_NESTING_ERROR = "reStructuredText nested too deeply to read"
# A line of one punctuation mark, repeated or not: a section title's adornment (a title of one
# character takes one of one), a transition. docutils places each transition by searching its
# parent's children, in time growing with the square of their count (2,000 took 1.5 s, 4,000
# 5.9 s), and builds each section at about 170 µs (250,000 lines of `\` took 21 s); an article
# has a few dozen, and a few `::` lines.
_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1*+[ \t]*+$", re.MULTILINE)
MAX_ADORNMENTS = 500
# docutils builds its tree at 1 µs a plain line to 250 µs a construct (5 MB of short lines took
# 2.3-2.8 s), and reads a paragraph at 0.25 µs a character (5 MB: 1.3 s); a long article has
# a few thousand lines and a few hundred thousand characters. Past either limit it is refused.
MAX_LINES = 50_000
MAX_CHARACTERS = 2_000_000


def _docinfo(document: Any) -> dict[str, Any]:
    from docutils import nodes

    metadata: dict[str, Any] = {}
    for info in document.findall(nodes.docinfo):
        for element in info.children:
            if isinstance(element, nodes.field):
                name = element[0].astext().strip().lower()
                metadata[name] = element[1].astext().strip()
            elif isinstance(element, nodes.authors):
                metadata["authors"] = [author.astext().strip() for author in element.children]
            else:
                metadata[element.tagname.lower()] = element.astext().strip()
        break
    return metadata


@functools.cache
def _pelican_markup() -> None:
    """Pelican's own directives and role, registered once: `code-block` and `sourcecode` (a
    code block; with `:linenos:`, or the site's PYGMENTS_RST_OPTIONS giving it, its line
    numbers in a column beside it, as Pygments writes them) and `abbr` (:abbr:`HTML
    (HyperText Markup Language)` shows `HTML`)."""
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives, roles

    class CodeBlock(Directive):
        required_arguments = 1
        final_argument_whitespace = True
        option_spec = dict.fromkeys(PYGMENTS_OPTIONS, directives.unchanged)
        has_content = True

        def _options(self) -> dict[str, Any]:
            """The block's options over the site's PYGMENTS_RST_OPTIONS, as Pelican takes them."""
            defaults = templates.site().data.get("PYGMENTS_RST_OPTIONS")
            return {**(defaults if isinstance(defaults, dict) else {}), **self.options}

        def run(self) -> list[Any]:
            self.assert_has_content()
            language = html.escape(self.arguments[0], quote=True)
            code = f'<pre><code class="language-{language}">{html.escape(chr(10).join(self.content))}\n</code></pre>'
            if self._options().get("linenos", "none") != "none":
                code = pelican.numbered_code(code)
            return [nodes.raw("", code, format="html")]

    def abbr(_name: str, _raw: str, text: str, *_args: Any, **_options: Any) -> tuple[list[Any], list[Any]]:
        found = _EXPLANATION.search(text)
        shown = text[:found.start()].strip() if found else text
        return [nodes.abbreviation(shown, shown)], []

    for name in ("code-block", "sourcecode"):
        directives.register_directive(name, CodeBlock)
    roles.register_local_role("abbr", abbr)


def _halting(level: int, text: str) -> bool:
    """Whether Pelican stops at a docutils message (and skips the file): one of level 2
    (a warning) or more, or the site's DOCUTILS_SETTINGS halt_level; not one only feedsvc
    gives, for reading another file (Pelican reads it)."""
    halt = templates.site().data.get("DOCUTILS_SETTINGS")
    halt = halt.get("halt_level", 2) if isinstance(halt, dict) else 2
    halt = halt if isinstance(halt, int) and not isinstance(halt, bool) else HALT_LEVELS.get(str(halt).lower(), 2)
    return level >= halt and not any(phrase in text for phrase in OWN_MESSAGES)


def _language() -> str:
    """The language docutils reads and writes a Pelican site's files in: DOCUTILS_SETTINGS'
    language_code, else DEFAULT_LANG, when docutils knows it (as Pelican checks it), else "en".
    It names admonitions (`.. note::` is "Bemerkung" in German), the table of contents and
    the bibliographic fields, and gives the directives their names in that language."""
    data = templates.site().data if templates.site().kind == "pelican" else {}
    own = data.get("DOCUTILS_SETTINGS")
    language = own.get("language_code") if isinstance(own, dict) else None
    language = language if isinstance(language, str) else data.get("DEFAULT_LANG", "en")
    return language if isinstance(language, str) and _known_language(language) else "en"


@functools.lru_cache(maxsize=64)
def _known_language(code: str) -> bool:
    """Whether docutils has the language (its modules are found by the code's name: only a
    language tag is looked up)."""
    from docutils.parsers.rst.languages import get_language

    return bool(_LANGUAGE_TAG.fullmatch(code)) and get_language(code) is not None


def _document_title(document: Any) -> str:
    """The title as Pelican takes it, from the title node docutils writes: its text after the
    transforms (smart quotes among them); docutils' title attribute was copied before them."""
    from docutils import nodes

    if len(document) and isinstance(document[0], nodes.title):
        return str(document[0].astext())
    return str(document.get("title") or "")


def _smart_quotes() -> dict[str, Any]:
    """DOCUTILS_SETTINGS' smart_quotes, which Pelican hands docutils as written: curly quotes,
    "--" an en dash, "---" an em dash, "..." an ellipsis, in the document's language (any true
    value turns them on; one starting with "alt" gives the language's alternative quotes)."""
    own = templates.site().data.get("DOCUTILS_SETTINGS") if templates.site().kind == "pelican" else None
    value = own.get("smart_quotes") if isinstance(own, dict) else None
    return {"smart_quotes": value} if isinstance(value, (bool, int, str)) else {}


def _publish(text: str) -> tuple[Any, Any, str, str]:
    """Parse, take docutils' messages out of the tree (they become warnings), then write;
    the first message at which Pelican stops, or "" (_halting)."""
    from docutils import nodes
    from docutils.core import publish_doctree, publish_parts
    from docutils.io import DocTreeInput

    _pelican_markup()
    warnings = io.StringIO()
    settings = {**SETTINGS, "language_code": _language(), **_smart_quotes()}
    document = publish_doctree(text, settings_overrides={**settings, "warning_stream": warnings})
    halted = ""
    for message in list(document.findall(nodes.system_message)):
        if not halted and _halting(int(message.get("level", 0)), message.astext()):
            halted = " ".join(message.astext().split())[:160]
        message.parent.remove(message)
    parts = publish_parts(document, source_class=DocTreeInput, reader="doctree", writer="html",
                          settings_overrides=settings)
    return parts, document, warnings.getvalue(), halted


def read(text: str, path: str) -> RawArticle:
    """Read a reStructuredText article."""
    check_count("reStructuredText", len(text), "characters", MAX_CHARACTERS)
    check_count("reStructuredText", text.count("\n"), "lines", MAX_LINES)
    check_count("reStructuredText", count_matches(_ADORNMENT, text), "title adornments and transitions",
                MAX_ADORNMENTS)
    try:
        parts, document, messages, halted = _publish(text)
    except RecursionError:
        raise ReadError(MAX_NESTING_ERROR) from None
    except Exception as exc:  # docutils raises many kinds on broken input; name it, go on
        problem = f"{type(exc).__name__}: {str(exc)[:160]}"
        if templates.site().kind == "pelican":  # Pelican skips the file ("Could not process")
            raise NotAnArticle(f"not an article: Pelican skips a file docutils fails on: {problem}") from None
        raise ReadError(f"reStructuredText could not be read: {problem}") from None
    if halted and templates.site().kind == "pelican":
        raise NotAnArticle(f"not an article: Pelican skips a file docutils warns about: {halted}")
    metadata = _docinfo(document)
    # A `:title:` field wins over the document title (Pelican's reader sets the title from the
    # document only when no field gave one).
    title = " ".join(str(metadata.get("title") or "").split()) or " ".join(_document_title(document).split())
    warnings: list[str] = []
    if messages.strip():
        first = messages.strip().splitlines()[0]
        warnings.append(f"reStructuredText: {first.split(': ', 1)[-1][:160]}")
    if not title:
        title = title_from_file_name(path)
        warnings.append("no title: using the file name")
    return RawArticle(path=path, title=title, body_html=parts["body"], metadata=metadata,
                      warnings=tuple(warnings))
