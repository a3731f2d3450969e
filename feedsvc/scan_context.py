"""What entries are derived from besides their files: settings, code, site and topic rules.

A scan records it in the catalog; when it differs from the catalog's, every file is read
again. It is JSON, so the catalog also tells which settings it was built with.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from . import __version__
from .config import Settings
from .readers.site import Site
from .topics import TopicRule

# Raised when a change to reading or cleaning changes the entries of unchanged files (a URL
# the sanitizer now refuses, say): catalogs built before then read every file again.
READ_REVISION = "6"  # 3: links to files in the content folder (links.py); 4: sites, templates, dates;
# 5: linear reading (reading.py, readers.html.parseable); 6: publication states and due times,
# topic labels per entry
# What the context holds besides the settings: the same for every process of one version
# reading one content folder.
CODE_AND_RULES = ("read revision", "site", "topics.toml")


def scan_settings(settings: Settings) -> dict[str, str]:
    """The settings entries are derived with, by the names users set them by."""
    return {
        "FEEDSVC_CONTENT_DIR": str(settings.content_dir),
        "FEEDSVC_BASE_URL": settings.base_url,
        "FEEDSVC_TAG_AUTHORITY": settings.authority,
        "FEEDSVC_TIMEZONE": settings.timezone,
        "FEEDSVC_MAX_FILE_SIZE": str(settings.max_file_size),
        "FEEDSVC_MAX_MEDIA_SIZE": str(settings.max_media_size),
        "FEEDSVC_PUBLISH_FUTURE": str(settings.publish_future).lower(),
        "FEEDSVC_DRAFTS": str(settings.drafts).lower(),
        "feedsvc version": __version__,
    }


def scan_context(settings: Settings, rules: list[TopicRule], site: Site) -> str:
    """What entries derive from besides their files: a change means reading all again. JSON,
    so the catalog records the settings it was built with (context_settings)."""
    rules_digest = hashlib.sha256(
        repr([(rule.topic, rule.pattern and rule.pattern.pattern) for rule in rules]).encode())
    return json.dumps({**scan_settings(settings), "read revision": READ_REVISION,
                       "site": site.fingerprint,
                       "topics.toml": rules_digest.hexdigest()[:20]}, sort_keys=True)


def context_settings(context: str) -> dict[str, str] | None:
    """The settings a catalog's context records; None when unknown (a new catalog, or one
    written by an earlier version, which recorded a hash)."""
    try:
        recorded = json.loads(context)
    except ValueError:
        return None
    if not isinstance(recorded, dict):
        return None
    return {key: str(value) for key, value in recorded.items() if key not in CODE_AND_RULES}


def settings_differences(settings: Settings, recorded: Mapping[str, str]) -> list[str]:
    """Each scan setting whose value differs from a recorded one: 'NAME is X here, Y there'."""
    return [f"{name} is {value} here, {recorded.get(name) or '(unknown)'} there"
            for name, value in scan_settings(settings).items() if recorded.get(name) != value]
