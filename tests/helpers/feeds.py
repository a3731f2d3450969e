"""Reading and checking feeds: parse with feedparser, check Atom against RFC 4287's RELAX NG
schema (shipped in tests/data), JSON Feed against version 1.1, and, where the W3C validator
is on the machine, run every strict check of ../shared/tools/validate_feed.py as well."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import urllib.request
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"  # the Atom namespace, as lxml writes element names
ATOM_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "atom.rng"
SCHEMATRON = {"s": "http://www.ascc.net/xml/schematron"}
STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)

RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
JSON_FEED_KEYS = {"version", "title", "home_page_url", "feed_url", "description", "user_comment",
                  "next_url", "icon", "favicon", "author", "authors", "language", "expired",
                  "hubs", "items"}
JSON_ITEM_KEYS = {"id", "url", "external_url", "title", "content_html", "content_text", "summary",
                  "image", "banner_image", "date_published", "date_modified", "author", "authors",
                  "tags", "language", "attachments"}

SHARED = Path(__file__).resolve().parents[3] / "shared"
W3C_VALIDATOR = SHARED / "tools" / "validate_feed.py"
W3C_COPIES = [
    Path(os.environ.get("FEEDVALIDATOR_DIR", "/tmp/feedvalidator")),
    SHARED.parent / ".mirror" / "w3c+feedvalidator" / "repo",
]


def parse_feed(body: bytes) -> feedparser.FeedParserDict:
    """Parse a feed as readers do; an Atom feed must also satisfy RFC 4287's schema."""
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    if parsed.version.startswith("atom"):
        assert_valid_atom(body)
    return parsed


@cache
def _atom_schema() -> tuple[etree.RelaxNG, list[tuple[str, str, str]]]:
    """The RELAX NG grammar, and the Schematron rules annotating it (context, test, message),
    which RELAX NG validators skip."""
    grammar = etree.parse(str(ATOM_SCHEMA))
    rules = [(rule.get("context"), " ".join(check.get("test").split()), " ".join(check.text.split()))
             for rule in grammar.iterfind(".//s:rule", SCHEMATRON)
             for check in rule.iterfind("s:assert", SCHEMATRON)]
    return etree.RelaxNG(grammar), rules


def assert_valid_atom(body: bytes) -> None:
    """The document is Atom as RFC 4287 defines it: its RELAX NG schema and its rules."""
    schema, rules = _atom_schema()
    document = etree.fromstring(body, STRICT)
    assert schema.validate(document), str(schema.error_log)
    namespaces = {"atom": ATOM.strip("{}")}
    for context, test, message in rules:
        for element in document.xpath("//" + context, namespaces=namespaces):
            holds = element.xpath(f"boolean({test})", namespaces=namespaces)
            assert holds, (message, element.findtext(f"{ATOM}id"))
    assert rules, "the schema's Schematron rules were not found"


def check_json_feed(document: dict, scheme: str = "https") -> None:
    """JSON Feed 1.1 rules: https://jsonfeed.org/version/1.1; URLs absolute, of this scheme."""
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert set(document) <= JSON_FEED_KEYS
    assert isinstance(document["title"], str) and document["title"]
    for key in ("home_page_url", "feed_url", "next_url"):
        if key in document:
            assert urlsplit(document[key]).scheme == scheme, key
    ids = [item["id"] for item in document["items"]]
    assert len(set(ids)) == len(ids) and all(isinstance(i, str) and i for i in ids)
    for item in document["items"]:
        assert set(item) <= JSON_ITEM_KEYS
        assert "content_html" in item or "content_text" in item
        assert urlsplit(item["url"]).scheme == scheme
        for key in ("date_published", "date_modified"):
            assert RFC3339.fullmatch(item[key]), item[key]
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
        if "author" in item:
            assert isinstance(item["author"]["name"], str)


def w3c_validator() -> Path | None:
    """../shared/tools/validate_feed.py, when it and a copy of the W3C validator are here."""
    if W3C_VALIDATOR.is_file() and any(path.exists() for path in W3C_COPIES):
        return W3C_VALIDATOR
    return None


def assert_strictly_valid(target: str | Path, kind: str, base: str | None = None, min_entries: int = 1,
                          cwd: Path | None = None) -> None:
    """Check a feed (a file, or a URL) everywhere: feedparser, and RFC 4287's schema for Atom,
    the JSON Feed 1.1 rules for JSON; where the W3C validator is available (not in a user's
    clone), every strict check of validate_feed.py too."""
    url = str(target)
    if url.startswith(("http://", "https://")):
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
    else:
        body = Path(target).read_bytes()
    if kind == "json":
        document = json.loads(body)
        check_json_feed(document, urlsplit(base or document["feed_url"]).scheme)
        entries = len(document["items"])
    else:
        parsed = parse_feed(body)
        assert parsed.version.startswith(kind), parsed.version
        entries = len(parsed.entries)
    assert entries >= min_entries, (entries, min_entries)
    validator = w3c_validator()
    if validator is not None:
        _run_w3c_layer(validator, target, kind, base, min_entries, cwd)


def _run_w3c_layer(validator: Path, target: str | Path, kind: str, base: str | None, min_entries: int,
                   cwd: Path | None) -> None:
    command = [sys.executable, str(validator), str(target), "--kind", kind]
    if base is not None:
        command += ["--base", base]
    command += ["--strict", "--require-all", "--min-entries", str(min_entries)]
    # The validator clones the W3C code beside itself: run it from the project's folder where
    # one is there (as CI has it).
    main = SHARED.parent / "main"
    result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                            cwd=cwd or (main if main.is_dir() else None))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def atom_text(element: Any) -> str:
    """The text of an Atom text construct (an lxml element): type="html" holds it escaped once more."""
    text = element.text or ""
    return html.unescape(text) if element.get("type") == "html" else text


def shown_text(value: str, detail: feedparser.FeedParserDict) -> str:
    """The text a reader shows for a feedparser value: HTML ones (type="html") unescaped."""
    return html.unescape(value) if detail.type == "text/html" else value
