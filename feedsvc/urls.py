"""URLs from articles: read as browsers read them, resolved, and allowed only as http, https
or mailto.

Every URL an article brings (links and images in its content, its `link` or canonical URL)
goes through here before it reaches a feed or a page, and its scheme is checked again after
every rewrite (resolving against the base, the IDNA host), since each one can change what a
reader sees: `urljoin` of a relative-looking value can return an absolute one.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import idna

from .text import slugify, without_extension

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
# Spec: WHATWG URL §4.4, basic URL parser: leading and trailing "C0 control or space" (U+0000
# to U+0020) are stripped and ASCII tab or newline removed anywhere. Nothing else: U+00A0,
# U+2028, U+3000 and the like stay part of the URL (a relative path to a browser), and
# stripping them (as str.strip does) would turn "\u00a0javascript:…" into a script URL.
_C0_CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
# Spec: WHATWG URL §4.4, scheme state: an ASCII letter, then letters, digits, "+", "-", ".".
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# Schemes that run or embed content, refused in ids too (which some readers follow as links).
ACTIVE_SCHEMES = frozenset({"javascript", "vbscript", "data"})


def as_browsers_read(value: str) -> str:
    """The URL text a browser parses from an attribute value (after character references)."""
    value = value.strip(_C0_CONTROL_OR_SPACE)
    if "\t" in value or "\n" in value or "\r" in value:  # rare; translate costs more than these tests
        return value.translate(_TAB_OR_NEWLINE)
    return value


def is_http_url(text: str) -> bool:
    """Whether text is an absolute http(s) URL with a host (a base URL feeds can be written with)."""
    try:
        parts = urlsplit(text)
        return parts.scheme in {"http", "https"} and bool(parts.hostname)
    except ValueError:  # `http://[::1`: no URL at all
        return False


def scheme_of(url: str) -> str:
    """The lowercased scheme of a URL as browsers read it; '' for a relative URL."""
    match = _SCHEME.match(as_browsers_read(url))
    return match.group()[:-1].lower() if match else ""


def is_allowed(url: str) -> bool:
    """True for an absolute http, https or mailto URL that every reader reads alike: it starts
    with its scheme, with nothing a parser would strip or remove in front or inside, and an
    http(s) URL has a host (`http:x` means a host to some parsers and a path to others)."""
    scheme = scheme_of(url)
    if as_browsers_read(url) != url or scheme not in ALLOWED_SCHEMES:
        return False
    return scheme == "mailto" or url[len(scheme) + 1:].startswith("//")


def has_active_scheme(value: str) -> bool:
    """True when a value (an id, say) could be read as a script or data URL by any reader,
    even one that strips all Unicode white space first."""
    match = _SCHEME.match("".join(value.split()).translate(_TAB_OR_NEWLINE))
    return match is not None and match.group()[:-1].lower() in ACTIVE_SCHEMES


def id_uri(value: str, tag: str) -> str:
    """An article's own id as the URI Atom wants: one with no scheme (`en-post`, `1234`, as
    Jekyll sites that link translations write it) goes under tag, a tag URI's start, quoted."""
    return value if _SCHEME.match(value) else tag + quote(value, safe="-._~")


ID_PATH_SAFE = "/-._~"  # characters of a path a tag URI holds as they are


def tag_uri(authority: str, published: datetime, path: str) -> str:
    """An RFC 4151 tag URI: tag:<authority>,<date>:/<path-without-extension>."""
    stem = without_extension(path)
    return f"tag:{authority},{published.date().isoformat()}:/{quote(stem, safe=ID_PATH_SAFE)}"


def whole_name_id(entry_id: str, path: str) -> str | None:
    """entry_id, a tag URI that tag_uri made of path, made of the whole path instead, its
    extension kept; None for any other id (one an article gave itself)."""
    made_of = ":/" + quote(without_extension(path), safe=ID_PATH_SAFE)
    if not entry_id.startswith("tag:") or not entry_id.endswith(made_of):
        return None
    return f"{entry_id[: -len(made_of)]}:/{quote(path, safe=ID_PATH_SAFE)}"


def ascii_host(url: str) -> str:
    """The URL with a non-ASCII host name in its IDNA form (`https://xn--bcher-kva.de`,
    UTS #46 as browsers map it): written as `bücher.de`, or percent-encoded as the Markdown
    renderer gives it (`b%C3%BCcher.de`), it is not read by every URL parser. A host that
    IDNA refuses (an empty or too long label, a space, a slash) is left as written."""
    if url.isascii() and "%" not in url:
        return url
    netloc = urlsplit(url).netloc
    user, at, host_port = netloc.rpartition("@")
    host, colon, port = host_port.partition(":")
    name = unquote(host)
    if name.isascii() or host.startswith("["):
        return url
    try:
        encoded = idna.encode(name, uts46=True).decode("ascii")
    except UnicodeError:  # idna.IDNAError included
        return url
    start = url.index(netloc)
    return f"{url[:start]}{user}{at}{encoded}{colon}{port}{url[start + len(netloc):]}"


def safe_url(value: str, base: str) -> str | None:
    """The URL of a link or image, absolute against base with an ASCII host; None when it
    is not (or does not become) an http, https or mailto URL."""
    url = as_browsers_read(value)
    if scheme_of(url) not in ALLOWED_SCHEMES | {""}:
        return None
    try:
        url = urljoin(base, url)
        if not is_allowed(url):
            return None
        url = _as_sent(url)
    except ValueError:  # such as a malformed IPv6 host
        return None
    return url if is_allowed(url) else None  # checked again as rewritten


def _as_sent(url: str) -> str:
    """The URL as it goes into a feed: an ASCII host, the scheme in lower case, a URI."""
    url = ascii_host(url)
    scheme = scheme_of(url)
    return as_uri(scheme + url[len(scheme):])


# What a URI holds as it is: RFC 3986's reserved and unreserved characters, and the % of an
# escape. The rest (spaces, `|`, letters beyond ASCII...) is percent-encoded as UTF-8, as a
# browser sends it: the W3C feed validator refuses such an address in a feed's link or
# media:content (a saved page's og:image `.../Posłowie_Razem.jpg`).
URI_CHARACTERS = ":/?#[]@!$&'()*+,;=-._~%"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_NOT_URI = re.compile(r"[^A-Za-z0-9:/?#\[\]@!$&'()*+,;=\-._~%]|%(?![0-9A-Fa-f]{2})")


def as_uri(url: str) -> str:
    """The URL with what a URI may not hold percent-encoded (a stray % as %25)."""
    if _NOT_URI.search(url) is None:
        return url
    return quote(_STRAY_PERCENT.sub("%25", url), safe=URI_CHARACTERS)


def page_url(value: str) -> str | None:
    """An article's own address (`link`, canonical): an absolute http(s) URL with a host."""
    url = as_browsers_read(value)
    if scheme_of(url) not in {"http", "https"}:
        return None
    try:
        url = _as_sent(url)
        has_host = bool(urlsplit(url).hostname)
    except ValueError:
        return None
    return url if has_host and is_allowed(url) else None  # checked as rewritten


ARTICLE_SLUG_CHARS = 128


def article_slug(path: str, metadata: dict[str, Any]) -> str:
    """The page slug: `slug` metadata (Jekyll, Hugo, Pelican), else the last part of the
    page's own address (Hugo `url`, Jekyll `permalink`, without placeholders such as
    `:title`), else the path; a Hugo page bundle (`post/trip/index.md`) is its folder."""
    stem = without_extension(path)
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    permalink = str(metadata.get("permalink") or "")
    address = "" if ":" in permalink else permalink.rstrip("/").rpartition("/")[2]
    named = str(metadata.get("slug") or without_extension(address))
    explicit = slugify(named, ARTICLE_SLUG_CHARS) if named else ""  # most articles name none
    return explicit or slugify(stem.replace("/", " "), ARTICLE_SLUG_CHARS) or "article"


def article_path(slug: str) -> str:
    """Where an article's page is served, below the base URL."""
    return f"/articles/{slug}"


def article_url(base_url: str, slug: str) -> str:
    """The address of an article's page on this service."""
    return base_url + article_path(slug)
