"""Settings: defaults < feedsvc.toml < FEEDSVC_* environment variables.

Every setting is validated once, here, with a message that says how to fix it.
Relative paths resolve against the working directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CONFIG_FILE = "feedsvc.toml"
ENV_PREFIX = "FEEDSVC_"


class ConfigError(ValueError):
    """A setting has a value the service cannot run with."""


@dataclass(frozen=True)
class Settings:
    content_dir: Path = Path("content")
    database: Path = Path("instance/feedsvc.db")
    base_url: str = "http://127.0.0.1:8000"
    title: str = "feedsvc"
    subtitle: str = "Articles published by feedsvc"
    author: str = "feedsvc"
    language: str = "en"
    timezone: str = "UTC"
    scan_interval: int = 60
    feed_limit: int = 50
    max_file_size: int = 5 * 1024 * 1024
    admin_token: str = ""
    tag_authority: str = ""  # empty: the host of base_url
    watch: bool = False  # also scan within a second of a change in the content folder
    client_timeout: int = 10  # seconds a client has to send a request's head (x3 per answer write)
    run_scheduler: bool = False  # set by `feedsvc serve` inside each server process

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def authority(self) -> str:
        """The RFC 4151 tag authority: a lowercase host name without a port."""
        return (self.tag_authority or urlsplit(self.base_url).hostname or "localhost").lower()


def _coerce(name: str, raw: Any, default: Any) -> Any:
    if isinstance(default, Path):
        return Path(str(raw))
    if isinstance(default, bool):
        return str(raw).lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    return str(raw)


def _validate(settings: Settings) -> Settings:
    parts = urlsplit(settings.base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(
            f"base_url must be an absolute http(s) URL such as https://news.example.org, "
            f"got {settings.base_url!r} (set FEEDSVC_BASE_URL)"
        )
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"timezone {settings.timezone!r} is not an IANA zone name such as Europe/Rome "
            "(set FEEDSVC_TIMEZONE)"
        ) from None
    if settings.scan_interval < 1:
        raise ConfigError("scan_interval must be at least 1 second (set FEEDSVC_SCAN_INTERVAL)")
    if not 1 <= settings.feed_limit <= 500:
        raise ConfigError("feed_limit must be between 1 and 500 (set FEEDSVC_FEED_LIMIT)")
    if not 1 <= settings.client_timeout <= 3600:
        raise ConfigError("client_timeout must be from 1 to 3600 seconds (set FEEDSVC_CLIENT_TIMEOUT)")
    if settings.max_file_size < 1:
        raise ConfigError("max_file_size must be positive (set FEEDSVC_MAX_FILE_SIZE)")
    return replace(
        settings,
        base_url=settings.base_url.rstrip("/"),
        content_dir=settings.content_dir.expanduser().absolute(),
        database=settings.database.expanduser().absolute(),
    )


def load_settings(
    overrides: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Build validated settings from defaults, the config file, the environment and overrides."""
    environ = dict(os.environ) if environ is None else environ
    config_file = config_file or Path(environ.get(ENV_PREFIX + "CONFIG", CONFIG_FILE))
    values: dict[str, Any] = {}
    if config_file.is_file():
        try:
            values.update(tomllib.loads(config_file.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_file}: {exc}") from None
    for field in fields(Settings):
        key = ENV_PREFIX + field.name.upper()
        if key in environ:
            values[field.name] = environ[key]
    values.update(overrides or {})

    defaults = Settings()
    known = {field.name for field in fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    coerced = {
        name: _coerce(name, value, getattr(defaults, name)) for name, value in values.items()
    }
    return _validate(replace(defaults, **coerced))
