"""Settings: defaults < the site's own configuration < feedsvc.toml < FEEDSVC_* environment
variables < command-line options.

Every setting is validated once, here. A message names where the bad value came from (the
environment variable, the key and its file, or the option) and what a good value looks like.
Relative paths resolve against the working directory.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .database_url import is_postgres_url
from .dates import is_zone_name
from .errors import ConfigError
from .podcast import Podcast, parse_podcasts
from .text import yes_no
from .urls import is_http_url

CONFIG_FILE = "feedsvc.toml"
ENV_PREFIX = "FEEDSVC_"
CONFIG_ENV = ENV_PREFIX + "CONFIG"
BOOLEAN_WORDS = "1/0, true/false, yes/no or on/off"
SECRETS = frozenset({"admin_token"})  # never shown by `feedsvc config`
INTERNAL = frozenset({"database_url"})  # derived from FEEDSVC_DATABASE, not set by people
MAX_SHOWN_CHARS = 100  # of a wrong value, in its message


@dataclass(frozen=True)
class Settings:
    content_dir: Path = Path("content")
    database: Path = Path("instance/feedsvc.db")
    # FEEDSVC_DATABASE when it is a postgresql:// URL; database then only places the lock files
    database_url: str = ""
    base_url: str = "http://127.0.0.1:8000"
    title: str = "feedsvc"
    subtitle: str = "Articles published by feedsvc"
    author: str = "feedsvc"
    language: str = "en"
    timezone: str = "UTC"
    scan_interval: int = 60
    feed_limit: int = 50
    max_file_size: int = 5 * 1024 * 1024
    max_media_size: int = 200 * 1024 * 1024  # larger media files are not published
    read_timeout: float = 5.0  # seconds of processor time to read one file; a slower one is an error
    admin_token: str = ""
    tag_authority: str = ""  # empty: the host of base_url
    watch: bool = False  # also scan within a second of a change in the content folder
    scan: bool = True  # false: `feedsvc serve` serves the catalog only, with no content folder
    client_timeout: int = 10  # seconds a client has to send a request's head (x3 per answer write)
    # WebSub (feedsvc.websub): "" (off), "builtin" (the hub at <base_url>/websub) or a hub's URL
    websub_hub: str = ""
    websub_allow_private: bool = False  # callbacks may resolve to loopback and private addresses
    websub_lease_min: int = 300  # bounds of the leases the built-in hub grants, in seconds;
    websub_lease_max: int = 864_000  # the maximum is also the lease of a request naming none
    websub_timeout: int = 10  # seconds each request to a callback or hub may take in all
    websub_retry_seconds: int = 60  # first wait before a failed request is tried again (x2 each)
    websub_attempts: int = 6  # tries of one delivery or publication before it is given up
    websub_max_subscriptions: int = 10_000  # in total
    websub_max_per_host: int = 100  # per callback host
    publish_future: bool = False  # publish articles dated in the future at once (Hugo's --buildFuture)
    drafts: bool = False  # a preview: drafts and scheduled articles too, in a catalog of its own
    podcast: tuple[Podcast, ...] = ()  # the [podcast] tables of feedsvc.toml (podcast.py)

    @property
    def catalog(self) -> Path | str:
        """What Store opens: the PostgreSQL URL if one is set, else the SQLite file."""
        return self.database_url or self.database

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def websub_hub_url(self) -> str:
        """The hub feeds advertise: the built-in one's URL, the configured one, or '' (none)."""
        return f"{self.base_url}/websub" if self.websub_hub == "builtin" else self.websub_hub

    @functools.cached_property  # every new article's id has it: split the URL once
    def authority(self) -> str:
        """The RFC 4151 tag authority: a lowercase host name without a port."""
        return (self.tag_authority or urlsplit(self.base_url).hostname or "localhost").lower()


@dataclass(frozen=True)
class Origin:
    """Where a setting's value came from: the default, a settings file, a variable, an option."""

    kind: str  # "default", "site" (a site generator's configuration), "file", "environment" or "option"
    name: str = ""  # the file's path, the variable's or the option's name

    def __str__(self) -> str:
        return self.name or self.kind

    def label(self, key: str) -> str:
        """How a message names the setting: as the person wrote it."""
        return f"{key} in {self.name}" if self.kind in ("file", "site") else self.name or key


DEFAULT = Origin("default")


# ---- what a good value is, per setting (each text is the fix a message offers) ----

_DNS_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_LOCAL_PART = re.compile(r"[a-z0-9._-]{1,64}")
_LANGUAGE_TAG = re.compile(r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def _is_dns_name(text: str) -> bool:
    return len(text) <= 253 and all(_DNS_LABEL.fullmatch(label) for label in text.split("."))


def _is_tag_authority(text: str) -> bool:
    """RFC 4151 §2.1: authorityName = DNSname / emailAddress; empty means the base URL's host."""
    text = text.lower()
    local, at, domain = text.rpartition("@")
    if at:
        return bool(_LOCAL_PART.fullmatch(local)) and _is_dns_name(domain)
    return not text or _is_dns_name(text)


def _is_language_tag(text: str) -> bool:
    """Well-formed (hyphens, letters and digits) and made of subtags the IANA registry holds."""
    import langcodes  # its registry takes 40 ms to load, for a setting most people leave alone

    return bool(_LANGUAGE_TAG.fullmatch(text)) and len(text) <= 64 and langcodes.tag_is_valid(text)


@dataclass(frozen=True)
class Rule:
    text: str
    holds: Callable[[Any], bool]


RULES: dict[str, Rule] = {
    "base_url": Rule("an absolute http(s) URL such as https://news.example.org", is_http_url),
    "language": Rule("a BCP 47 language tag such as en, en-GB or pt-BR", _is_language_tag),
    "timezone": Rule("an IANA time zone name such as Europe/Rome or UTC", is_zone_name),
    "tag_authority": Rule(
        "a domain name or an email address (RFC 4151) such as news.example.org or "
        "editor@example.org, or empty for the host of the base URL", _is_tag_authority),
    "scan_interval": Rule("a whole number of seconds, at least 1", lambda n: n >= 1),
    "feed_limit": Rule("a whole number from 1 to 500", lambda n: 1 <= n <= 500),
    "client_timeout": Rule("a whole number of seconds from 1 to 3600", lambda n: 1 <= n <= 3600),
    "max_file_size": Rule("a whole number of bytes, at least 1", lambda n: n >= 1),
    "max_media_size": Rule("a whole number of bytes, at least 1", lambda n: n >= 1),
    "websub_hub": Rule("empty, builtin, or a hub's http(s) URL such as https://hub.example/",
                       lambda text: text in {"", "builtin"} or is_http_url(text)),
    "websub_lease_min": Rule("a whole number of seconds from 1 to 31536000", lambda n: 1 <= n <= 31_536_000),
    "websub_lease_max": Rule("a whole number of seconds from 1 to 31536000", lambda n: 1 <= n <= 31_536_000),
    "websub_timeout": Rule("a whole number of seconds from 1 to 300", lambda n: 1 <= n <= 300),
    "websub_retry_seconds": Rule("a whole number of seconds from 1 to 86400", lambda n: 1 <= n <= 86_400),
    "websub_attempts": Rule("a whole number from 1 to 20", lambda n: 1 <= n <= 20),
    "websub_max_subscriptions": Rule("a whole number from 1 to 1000000", lambda n: 1 <= n <= 1_000_000),
    "websub_max_per_host": Rule("a whole number from 1 to 1000000", lambda n: 1 <= n <= 1_000_000),
    "read_timeout": Rule("a number of seconds, more than 0 and at most 3600", lambda n: 0 < n <= 3600),
}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _type_rule(key: str, default: Any, origin: Origin) -> str:
    """What a value of this type looks like where it was written (TOML has types; text has not)."""
    rule = RULES[key].text if key in RULES else None
    in_file = origin.kind == "file"
    if isinstance(default, bool):
        return f"true or false, without quotes ({key} = true)" if in_file else "one of " + BOOLEAN_WORDS
    if isinstance(default, float):
        rule = rule or "a number"
        return f"{rule}, without quotes ({key} = {default:g})" if in_file else rule
    if isinstance(default, int):
        rule = rule or "a whole number"
        return f"{rule}, without quotes or decimals ({key} = {default})" if in_file else rule
    return f'{rule or "text"}, in quotes ({key} = "...")' if in_file else rule or "text"


def _from_text(raw: str, default: Any) -> Any:
    """Parse a value given as text (a variable, an option); None when it does not parse."""
    if isinstance(default, bool):
        return yes_no(raw)
    if isinstance(default, float):
        return float(raw) if _DECIMAL.fullmatch(raw.strip()) else None
    if isinstance(default, int):
        return int(raw) if _INTEGER.fullmatch(raw.strip()) else None
    return Path(raw) if isinstance(default, Path) else raw


def _typed(raw: Any, default: Any, origin: Origin) -> Any:
    """The value in the setting's type, or None when its type is wrong (never truncated)."""
    if isinstance(raw, str) and origin.kind != "file":
        return _from_text(raw, default)
    if isinstance(default, bool):
        return raw if isinstance(raw, bool) else None
    if isinstance(default, float):
        return float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None
    if isinstance(default, int):
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    if isinstance(default, Path):
        return Path(raw) if isinstance(raw, str | Path) else None
    return raw if isinstance(raw, str) else None


def _coerce(key: str, raw: Any, default: Any, origin: Origin) -> Any:
    if key == "podcast":  # tables of their own keys, checked where podcasts are made
        try:
            podcasts = parse_podcasts(raw)
        except ValueError as exc:
            raise ConfigError(f"{origin.label(key)}: {exc}") from None
        for podcast in podcasts:
            if podcast.language and not _is_language_tag(podcast.language):
                raise ConfigError(f"{origin.label(key)}: podcast.language must be {RULES['language'].text}; "
                                  f"got {podcast.language[:MAX_SHOWN_CHARS]!r}")
        return podcasts
    value = _typed(raw, default, origin)
    rule = RULES.get(key)
    if value is None:
        problem = _type_rule(key, default, origin)
    elif rule is not None and not rule.holds(value):
        problem = rule.text
    else:
        return value
    shown = "(hidden)" if key in SECRETS else repr(raw)[:MAX_SHOWN_CHARS]
    raise ConfigError(f"{origin.label(key)}: must be {problem}; got {shown}")


# ---- where the values come from ----

def find_config_file(environ: Mapping[str, str], option: Path | None = None,
                     default: Path | None = None) -> tuple[Path | None, Origin]:
    """The settings file and who chose it; one named by --config or FEEDSVC_CONFIG must exist."""
    if option is not None:
        path, origin = option, Origin("option", "--config")
    elif CONFIG_ENV in environ:
        path, origin = Path(environ[CONFIG_ENV]), Origin("environment", CONFIG_ENV)
    else:
        path = default or Path(CONFIG_FILE)
        return (path.absolute() if path.is_file() else None), DEFAULT
    if not path.is_file():
        raise ConfigError(f"{origin.name}: no settings file at {path.absolute()}; "
                          f"give the path of an existing TOML file, or leave {origin.name} out")
    return path.absolute(), origin


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _unknown_key_error(key: str, origin: Origin, known: list[str]) -> ConfigError:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return ConfigError(f"{origin.label(key)}: unknown setting; {hint}known settings: {', '.join(known)}")


def _raw_values(environ: Mapping[str, str], overrides: Mapping[str, Any],
                config_file: Path | None) -> dict[str, tuple[Any, Origin]]:
    """Each given setting's raw value and origin; the later source wins."""
    known = sorted(field.name for field in fields(Settings) if field.name not in INTERNAL)
    values: dict[str, tuple[Any, Origin]] = {}
    if config_file is not None:
        for key, raw in _read_config_file(config_file).items():
            if key not in known:
                raise _unknown_key_error(key, Origin("file", str(config_file)), known)
            values[key] = (raw, Origin("file", str(config_file)))
    for field in fields(Settings):
        variable = ENV_PREFIX + field.name.upper()
        if variable in environ:
            values[field.name] = (environ[variable], Origin("environment", variable))
    for key, raw in overrides.items():
        if key not in {field.name for field in fields(Settings)}:
            raise _unknown_key_error(key, Origin("option", key), known)
        values[key] = (raw, Origin("option", "--" + key.replace("_", "-")))
    return values


def unknown_variables(environ: Mapping[str, str], also_known: Iterable[str] = ()) -> list[str]:
    """A message for each FEEDSVC_* variable that is no setting: a misspelt one is otherwise
    ignored without a word. also_known: variables read elsewhere (the serve options')."""
    known = {ENV_PREFIX + field.name.upper() for field in fields(Settings)} | {CONFIG_ENV, *also_known}
    suffixes = sorted(name.removeprefix(ENV_PREFIX) for name in known)
    messages = []
    for name in sorted(environ):
        if name.startswith(ENV_PREFIX) and name not in known:
            close = difflib.get_close_matches(name.removeprefix(ENV_PREFIX), suffixes, n=1)
            messages.append(f"{name} is not a setting and is ignored"
                            + (f"; did you mean {ENV_PREFIX}{close[0]}?" if close else ""))
    return messages


def load_settings_with_origins(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
    config_option: Path | None = None,
) -> tuple[Settings, dict[str, Origin]]:
    """Validated settings and where each came from.

    config_file: where to look for the settings file when neither config_option (--config)
    nor FEEDSVC_CONFIG names one (default: feedsvc.toml in the working directory).
    """
    environ = os.environ if environ is None else environ
    path, _ = find_config_file(environ, config_option, config_file)
    raw = _raw_values(environ, overrides or {}, path)
    database_url = _postgres_url(raw)
    _site_defaults(raw)
    defaults = Settings()
    values = {key: _coerce(key, value, getattr(defaults, key), origin)
              for key, (value, origin) in raw.items()}
    settings = replace(defaults, **values)
    if settings.websub_lease_min > settings.websub_lease_max:
        key = "websub_lease_max" if "websub_lease_max" in raw else "websub_lease_min"
        raise ConfigError(f"{raw[key][1].label(key)}: the shortest lease must not be longer than "
                          f"the longest ({settings.websub_lease_min} > {settings.websub_lease_max})")
    database = settings.database.expanduser().absolute()
    if settings.drafts:  # a preview never writes drafts into the catalog the public is served
        database = database.with_name(f"{database.stem}-drafts{database.suffix}")
    settings = replace(
        settings,
        base_url=settings.base_url.rstrip("/"),
        content_dir=settings.content_dir.expanduser().absolute(),
        database=database,
        # a preview's catalog is a SQLite file of its own, never the one the public is served
        database_url="" if settings.drafts else database_url,
    )
    origins = {field.name: raw.get(field.name, (None, DEFAULT))[1] for field in fields(Settings)}
    return settings, origins


def _postgres_url(raw: dict[str, tuple[Any, Origin]]) -> str:
    """FEEDSVC_DATABASE when it is a PostgreSQL URL, taken out of raw (Path() would fold its //)."""
    raw.pop("database_url", None)  # set through FEEDSVC_DATABASE only
    value = raw.get("database", (None, DEFAULT))[0]
    if not is_postgres_url(value):
        return ""
    del raw["database"]
    return str(value)


def _site_defaults(values: dict[str, tuple[Any, Origin]]) -> None:
    """Fill settings not given from the site generator's configuration in the content folder
    (or its parent): Jekyll's _config.yml, Hugo's hugo.toml, Pelican's pelicanconf.py."""
    from .errors import ReadError
    from .readers.site import load_site

    given = values.get("content_dir", (Settings.content_dir, DEFAULT))[0]
    content_dir = Path(str(given)).expanduser().absolute()
    try:
        site = load_site(content_dir)
    except (ReadError, OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"site configuration in {content_dir}: {exc}") from None
    for name, value in site.settings.items():  # checked as every setting is, naming the file
        values.setdefault(name, (value, Origin("site", str(content_dir / site.config_path))))


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
    config_option: Path | None = None,
) -> Settings:
    """Build validated settings from defaults, the settings file, the environment and overrides."""
    return load_settings_with_origins(overrides, environ, config_file, config_option)[0]
