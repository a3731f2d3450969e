"""Outgoing HTTP of WebSub: to subscribers' callbacks and to an external hub.

Every request has one deadline for connecting, sending and reading the answer (a callback
that answers a byte at a time is cut off at it), follows no redirect (WebSub counts a 3xx as
a failure) and reads at most ANSWER_BYTES of the answer. A callback's host is resolved once,
each of its addresses checked (loopback, private, link-local, multicast and reserved ones are
refused unless allowed), and the connection made to the checked address itself: a name that
resolves elsewhere a moment later (DNS rebinding) cannot lead the hub to an internal service.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from . import __version__

ANSWER_BYTES = 1024  # of an answer's body: a challenge echo is far shorter; the rest is ignored
MAX_URL_CHARS = 2048  # of a callback or topic URL
USER_AGENT = f"feedsvc/{__version__} (WebSub hub)"
UNSAFE_URL_CHARS = frozenset(" \t\r\n\x00\x7f\\")


class HubRequestError(Exception):
    """A request could not be made or was refused before it was sent (the text says why)."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes  # its first ANSWER_BYTES


def check_url(url: str, name: str) -> str:
    """Return the host of an absolute http(s) URL fit to be called; raise HubRequestError."""
    if len(url) > MAX_URL_CHARS:
        raise HubRequestError(f"{name}: must be at most {MAX_URL_CHARS} characters")
    if not url.isascii() or any(char in UNSAFE_URL_CHARS or char < " " for char in url):
        raise HubRequestError(
            f"{name}: must be ASCII (percent-encoded) without spaces, control characters or backslashes")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise HubRequestError(f"{name}: is not a valid URL") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise HubRequestError(f"{name}: must be an absolute http:// or https:// URL")
    if parts.username is not None or parts.fragment or port == 0:
        raise HubRequestError(f"{name}: must have no user name, fragment or port 0")
    return parts.hostname


def _refused(address: str, allow_private: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone index is not part of it
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_multicast or ip.is_unspecified:
        return True
    return not allow_private and not ip.is_global


def resolve(url: str, allow_private: bool) -> list[str]:
    """The addresses a URL's host resolves to, all of them safe to connect to."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise HubRequestError(f"cannot resolve {parts.hostname}: {error}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    refused = [address for address in addresses if _refused(address, allow_private)]
    if refused or not addresses:
        raise HubRequestError(
            f"{parts.hostname} resolves to {', '.join(refused) or 'nothing'}: a loopback, private, "
            "link-local, multicast or reserved address, which this hub does not call")
    return addresses


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to an address resolved and checked beforehand; the Host header keeps the name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address; the certificate is checked against the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def _cut_off(connection: http.client.HTTPConnection) -> None:
    """End a request past its deadline: the blocked read or write returns at once."""
    if connection.sock is not None:
        try:
            connection.sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # closed meanwhile
            pass


def send(method: str, url: str, *, timeout: float, allow_private: bool, check_address: bool = True,
         body: bytes = b"", headers: Mapping[str, str] | None = None) -> Answer:
    """Make one request within timeout seconds; raise HubRequestError or OSError on failure."""
    check_url(url, "URL")
    parts = urlsplit(url)
    addresses = resolve(url, allow_private) if check_address else [parts.hostname or ""]
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    pinned = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    port = parts.port or (443 if parts.scheme == "https" else 80)  # "::1" alone would parse as port 1
    connection = pinned(parts.hostname or "", port, addresses[0], timeout)
    deadline = threading.Timer(timeout, _cut_off, (connection,))
    deadline.start()
    try:
        connection.request(method, target, body=body or None,
                           headers={"User-Agent": USER_AGENT, **(headers or {})})
        response = connection.getresponse()
        return Answer(response.status, response.read(ANSWER_BYTES))
    except http.client.HTTPException as error:  # a malformed answer
        raise HubRequestError(f"bad answer from {parts.hostname}: {error!r}") from None
    finally:
        deadline.cancel()
        connection.close()
