"""Hugo 0.111's relURL and absURL, for the site shortcodes go_template.py runs: a path made
the address Hugo writes for it from the site's baseURL. A path that starts with `/` is taken
from the host's root (the baseURL's own path left out), any other from the baseURL; an
address of another site, or one starting `//`, is kept as it is. What the address leads to
is then resolved as a link written in the page would be (links.py).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .go_functions import as_text
from .hugo_config import lowered
from .site import Site


def _joined(base_path: str, path: str) -> str:
    """Go's path.Join: the parts that are not empty joined and cleaned ("" when none is)."""
    joined = "/".join(part for part in (base_path, path) if part)
    if not joined:
        return ""
    cleaned = posixpath.normpath(joined)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def _root(base: str, value: str) -> str:
    """What a value is taken from: the baseURL, or its scheme and host alone for a value that
    starts with `/`."""
    if not value.startswith("/"):
        return base
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def rel_url(value: str, base: str, canonify: bool = False) -> str:
    root = _root(base, value)
    if (value.startswith("http") and not value.startswith(root)) or value.startswith("//"):
        return value
    address = value.removeprefix(root)
    if not canonify:  # the baseURL's path before it (Go's AddContextRoot)
        relative = address
        address = _joined(urlsplit(root).path, relative)
        address += "/" if address != "/" and relative.endswith("/") else ""
    if not value and not address.endswith("/") and root.endswith("/"):
        address += "/"
    return address if address.startswith("/") else "/" + address


def abs_url(value: str, base: str) -> str:
    parts = urlsplit(value)
    if parts.scheme or value.startswith("//"):
        return value
    root = urlsplit(_root(base, value))
    path = _joined(root.path, parts.path)  # its query and fragment are left out, as Hugo does
    if ((not value and base.endswith("/")) or parts.path.endswith("/")) and not path.endswith("/"):
        path += "/"
    return urlunsplit((root.scheme, root.netloc, path, root.query, root.fragment))


def functions(site: Site) -> dict[str, Callable[..., Any]]:
    """relURL and absURL of the site's baseURL (and canonifyURLs)."""
    config = lowered(site.data)
    base, canonify = as_text(config.get("baseurl") or ""), config.get("canonifyurls") is True
    return {"relURL": lambda value: rel_url(as_text(value), base, canonify),
            "absURL": lambda value: abs_url(as_text(value), base)}
