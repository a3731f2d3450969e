"""Script and data URLs never come out of the sanitizer, in any feed, page or export.

Browsers strip only leading and trailing C0 controls and spaces from a URL and remove ASCII
tabs and newlines inside it: a value starting with U+00A0, U+2028, U+3000 and the like is a
relative path to them, and must not become `javascript:` through a rewrite (str.strip,
urljoin, the IDNA host) on our side. Every URL attribute that comes out must start with
http://, https:// or mailto: exactly, with nothing a reader could strip in front.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from helpers.content import BASE_URL, age, write
from helpers.feeds import ATOM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feedsvc.cli import main
from feedsvc.normalize import sanitize_html
from feedsvc.urls import page_url, safe_url

ALLOWED_PREFIXES = ("http://", "https://", "mailto:")
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"
# What may come before the scheme, as characters or as HTML character references.
PREFIXES = [
    "", " ", "\u00a0", "\u0085", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u205f",
    "\u3000", "\ufeff", "\u200b", "&#xa0;", "&#XA0;", "&#160;", "&nbsp;", "&#x3000;", "&#x2028;",
    "&#x85;", "\t", "\n", "&#x09;", "&#10;", "&Tab;", "&NewLine;", "\u00a0 \u3000",
]
SCHEMES = [
    "javascript:", "JavaScript:", "JAVASCRIPT:", "vbscript:", "VBScript:", "data:text/html,",
    "DATA:image/svg+xml,", "java&#x09;script:", "java\nscript:", "jav&#x0A;ascript:",
    "javascript&colon;", "&#106;avascript:",
]
VARIANTS = [prefix + scheme for prefix, scheme in itertools.product(PREFIXES, SCHEMES)]
PAYLOAD = "alert(1)"


def attacks_html() -> str:
    links = "\n".join(f'<p><a href="{value}{PAYLOAD}">a{i}</a> <img src="{value}{PAYLOAD}" alt="i{i}"></p>'
                      for i, value in enumerate(VARIANTS))
    safe = '<a href="https://safe.example/kept">kept</a> <a href="mailto:desk@example.org">mail</a>'
    return f"{links}\n<p>{safe}</p>"


def assert_only_safe_urls(fragment: str, where: str) -> int:
    """Every href and src of the HTML starts with an allowed scheme, exactly as written.
    Returns how many URLs the fragment holds."""
    document = lxml.html.fragment_fromstring(fragment, create_parent="div")
    urls = document.xpath("//@href | //@src")
    for url in urls:
        assert str(url).startswith(ALLOWED_PREFIXES), (where, url)
    return len(urls)


def assert_page_safe(body: bytes, where: str) -> None:
    """A page of ours: its own links are paths or absolute http(s); none has a script scheme."""
    document = lxml.html.document_fromstring(body)
    for url in document.xpath("//@href | //@src"):
        assert str(url).startswith(("/", "#") + ALLOWED_PREFIXES), (where, url)


# -- the sanitizer alone ----------------------------------------------------------------------

@pytest.mark.parametrize("value", VARIANTS)
def test_no_variant_survives_as_a_script_url(value: str) -> None:
    cleaned = sanitize_html(f'<a href="{value}{PAYLOAD}">x</a><img src="{value}{PAYLOAD}">',
                            f"{BASE_URL}/articles/a")
    assert_only_safe_urls(cleaned, value)


_SPACES = st.sampled_from(["\u00a0", "\u0085", "\u1680", "\u2028", "\u3000", "\u2009", " ", "\t",
                           "\n", "\r", "\x0c", "&#xa0;", "&#x9;", "&#xA;", "&nbsp;", "&#8232;"])


@st.composite
def _hostile_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["javascript", "vbscript", "data", "http", "https", "mailto"]))
    scheme = "".join(c.upper() if draw(st.booleans()) else c for c in scheme)
    # tabs and newlines anywhere inside the scheme, which browsers remove
    letters = [c + (draw(st.sampled_from(["\t", "\n", "&#9;", "&#10;"])) if draw(st.booleans()) else "")
               for c in scheme]
    prefix = "".join(draw(st.lists(_SPACES, max_size=4)))
    colon = draw(st.sampled_from([":", "&colon;", "&#58;"]))
    rest = draw(st.sampled_from([PAYLOAD, "//bücher.de/x", "text/html,<b>x</b>", "x@example.org"]))
    return prefix + "".join(letters) + colon + rest


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(url=_hostile_urls(), tag=st.sampled_from(["a href", "img src"]))
def test_property_every_url_out_is_http_https_or_mailto(url: str, tag: str) -> None:
    name, attribute = tag.split()
    cleaned = sanitize_html(f'<{name} {attribute}="{url}">x</{name}>', f"{BASE_URL}/articles/a")
    assert_only_safe_urls(cleaned, url)


def test_safe_links_are_kept_and_relative_ones_resolved() -> None:
    cleaned = sanitize_html('<a href=" /a b ">1</a><a href="\tmailto:x@example.org\n">2</a>'
                            '<a href="\u00a0javascript:alert(1)">3</a><img src="https://bücher.de/i.png">',
                            f"{BASE_URL}/articles/a")
    document = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    assert document.xpath("//@href | //@src") == [
        f"{BASE_URL}/a%20b", "mailto:x@example.org", f"{BASE_URL}/articles/%C2%A0javascript:alert(1)",
        "https://xn--bcher-kva.de/i.png",
    ]


@pytest.mark.parametrize("value", [
    "\u00a0javascript:alert(1)", "javascript:alert(1)", " data:text/html,x", "vbscript:x",
    "mailto:x@example.org", "https:", "http:foo", "//news.example.org/a",
])
def test_page_links_must_be_absolute_http(value: str) -> None:
    assert page_url(value) is None


def test_page_links_are_read_as_browsers_read_them() -> None:
    assert page_url(" https://bücher.de/a\t") == "https://xn--bcher-kva.de/a"
    assert page_url("HTTP://Example.org/a") == "http://Example.org/a"


def test_a_base_that_is_not_http_resolves_nothing() -> None:
    assert safe_url("a/b", "javascript:alert(1)//") is None


# -- every output -------------------------------------------------------------------------------

@pytest.fixture
def attacked(content: Path) -> Path:
    """Articles attacking through content, raw HTML in Markdown, link, canonical and id."""
    write(content, "world/in-html.html",
          "<html><head><title>Attack in HTML</title>"
          '<link rel="canonical" href="&#xa0;javascript:alert(1)">'
          '<meta name="date" content="2024-03-01"></head><body><article>'
          f"{attacks_html()}</article></body></html>\n")
    markdown_links = "\n\n".join(f"[m{i}](<{value}{PAYLOAD}>)" for i, value in enumerate(VARIANTS)
                                 if "\n" not in value)
    write(content, "world/in-markdown.md",
          '---\ntitle: Attack in Markdown\ndate: 2024-03-02\nlink: "\\u00a0javascript:alert(1)"\n'
          'id: "\\u2028JavaScript:alert(1)"\n---\n\n'
          f"{attacks_html()}\n\n{markdown_links}\n")
    write(content, "world/source.md",
          "---\ntitle: With a source\ndate: 2024-03-03\nlink: \"\\tHTTPS://bücher.de/story\\n\"\n---\n\n"
          "[relative](other/page) and [mail](mailto:desk@example.org)\n")
    return content


def check_atom(body: bytes, where: str) -> int:
    root = etree.fromstring(body)
    urls = 0
    for entry in root.iter(f"{ATOM}entry"):
        assert "script" not in entry.findtext(f"{ATOM}id").lower(), where
        for link in entry.iter(f"{ATOM}link"):
            assert link.get("href").startswith(ALLOWED_PREFIXES), (where, link.get("href"))
        urls += assert_only_safe_urls(entry.findtext(f"{ATOM}content"), where)
    return urls


def check_rss(body: bytes, where: str) -> int:
    root = etree.fromstring(body)
    urls = 0
    for item in root.iter("item"):
        assert item.findtext("link").startswith(ALLOWED_PREFIXES), where
        assert "script" not in item.findtext("guid").lower(), where
        urls += assert_only_safe_urls(item.findtext(f"{CONTENT_NS}encoded"), where)
        assert_only_safe_urls(item.findtext("description"), where)
    return urls


def check_json(body: bytes, where: str) -> int:
    urls = 0
    for item in json.loads(body)["items"]:
        assert item["url"].startswith(ALLOWED_PREFIXES), where
        assert "script" not in item["id"].lower(), where
        urls += assert_only_safe_urls(item["content_html"], where)
    return urls


CHECKS = {"atom.xml": check_atom, "rss.xml": check_rss, "feed.json": check_json}


def test_every_feed_and_page_served_has_only_safe_urls(attacked: Path, scan, make_app) -> None:
    report = scan()
    assert report.errors == []
    warned = {(w.path, w.reason.split(" ")[0].rstrip(":")) for w in report.warnings}
    markdown, html = "world/in-markdown.md", "world/in-html.html"
    assert {(markdown, "link"), (markdown, "id"), (html, "link")} <= warned
    client = make_app().test_client()
    for feed in ("/feeds/", "/topics/world/"):
        for name, check in CHECKS.items():
            response = client.get(feed + name)
            assert response.status_code == 200
            # every kept link: the two safe ones and the relative-looking variants, per article
            assert check(response.data, feed + name) >= 2 * 2
    json_items = {item["title"]: item for item in client.get("/feeds/feed.json").get_json()["items"]}
    assert json_items["Attack in Markdown"]["url"] == f"{BASE_URL}/articles/world-in-markdown"
    assert json_items["With a source"]["url"] == "https://xn--bcher-kva.de/story"
    assert not json_items["Attack in Markdown"]["id"].startswith(("\u2028", "JavaScript"))
    content_html = json_items["Attack in HTML"]["content_html"]
    assert 'href="https://safe.example/kept"' in content_html
    assert 'href="mailto:desk@example.org"' in content_html
    # relative: a path (the HTML reader's serializer, lxml's, writes the no-break space percent-encoded)
    assert f'href="{BASE_URL}/articles/%C2%A0javascript:alert(1)"' in content_html
    for slug in ("world-in-html", "world-in-markdown", "world-source"):
        page = client.get(f"/articles/{slug}")
        assert page.status_code == 200, slug
        assert_page_safe(page.data, slug)


def test_the_export_has_only_safe_urls(attacked: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(attacked))
    monkeypatch.setenv("FEEDSVC_BASE_URL", BASE_URL)
    monkeypatch.setenv("FEEDSVC_DATABASE", str(tmp_path / "build.db"))
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(out)])
    assert result.exit_code == 0, result.output
    checked = {"html": 0, "feeds": 0}
    for path in out.rglob("*"):
        if path.suffix == ".html":
            assert_page_safe(path.read_bytes(), str(path))
            checked["html"] += 1
        elif path.name in CHECKS:
            assert CHECKS[path.name](path.read_bytes(), str(path)) >= 4
            checked["feeds"] += 1
    assert checked == {"html": 3 + 1 + 1 + 1, "feeds": 2 * 3}  # articles, index, 404, topic page


def test_a_catalog_cleaned_by_an_older_sanitizer_is_read_again(
    attacked: Path, scan, monkeypatch: pytest.MonkeyPatch,
) -> None:
    age(*attacked.rglob("*.*"))
    assert scan().read == 3
    assert scan().read == 0
    monkeypatch.setattr("feedsvc.scan_context.READ_REVISION", "older")  # as if the catalog were that old
    assert scan().read == 3


def test_addresses_beyond_ascii_and_with_spaces_are_sent_as_uris() -> None:
    """What a URI may not hold is percent-encoded as UTF-8, as a browser sends it: the W3C
    feed validator refuses an entry's link or media:content holding it (saved pages' og:image
    and canonical addresses did); escapes already made stay, a stray % is escaped."""
    assert page_url("https://elfaro.net/es/váyanse.htm") == "https://elfaro.net/es/v%C3%A1yanse.htm"
    assert safe_url("/Umwelt und Klima/a.jpg", "https://x.at/p") == "https://x.at/Umwelt%20und%20Klima/a.jpg"
    assert safe_url("https://cms.example/fill|webp/", BASE_URL) == "https://cms.example/fill%7Cwebp/"
    assert safe_url("https://x.example/100%", BASE_URL) == "https://x.example/100%25"
    kept = "https://x.example/a%C3%BC?q=[1]&r=(2)#top"
    assert safe_url(kept, BASE_URL) == kept and page_url(kept) == kept
