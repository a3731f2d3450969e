"""When an article is shown: drafts, scheduled articles and expiring ones.

An article dated in the future is scheduled: absent from everything until its time (as
Hugo, Jekyll, Pelican and WordPress hold it), unless FEEDSVC_PUBLISH_FUTURE is set. An
`expires` time (Hugo's expiryDate) in the past hides it; in the future, it leaves then.
The scan records the time of the next change of each file; the schedule reads the file
again at that time (scheduler.Schedule), so the catalog follows within a second.
A preview catalog (`feedsvc serve --drafts`) also holds drafts and scheduled articles,
marked with their status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .config import Settings
from .dates import parse_date
from .model import DRAFT, EXPIRE, PUBLISH, SCHEDULED, Entry
from .readers.metadata import is_draft

PUBLISHED, EXPIRED = "published", "expired"


@dataclass(frozen=True)
class Publication:
    """An article's state at one time, and when and how it changes next (if it does)."""

    state: str  # PUBLISHED, DRAFT, SCHEDULED or EXPIRED
    due: datetime | None = None  # the next change: published (SCHEDULED) or expires (PUBLISHED)

    @property
    def due_kind(self) -> str:
        return "" if self.due is None else PUBLISH if self.state == SCHEDULED else EXPIRE

    def shown(self, settings: Settings) -> bool:
        """True when the catalog holds the article: published, or previewed."""
        return self.state == PUBLISHED or (settings.drafts and self.state in {DRAFT, SCHEDULED})

    def describe(self) -> str:
        """How `feedsvc check` says it: 'scheduled for <time>', 'expired at <time>'..."""
        if self.state == SCHEDULED and self.due is not None:
            return f"scheduled for {self.due.isoformat()}"
        if self.state == EXPIRED and self.due is not None:
            return f"expired at {self.due.isoformat()}"
        return self.state


def publication(metadata: Mapping[str, Any], entry: Entry, settings: Settings, now: datetime) -> Publication:
    """The state of an article at time now (its entry's dates already normalized)."""
    expiry = metadata.get("expiry_date")
    expires = parse_date(expiry, settings.tz) if expiry else None
    if is_draft(metadata):
        return Publication(DRAFT)
    # Hugo's publishDate, when given beside the date, is when the article may appear
    start = parse_date(metadata["publish_date"], settings.tz) if metadata.get("publish_date") else None
    start = max(entry.published, start) if start else entry.published
    if start > now and not settings.publish_future:
        return Publication(SCHEDULED, start)
    if expires is not None and expires <= now:
        return Publication(EXPIRED, expires)
    return Publication(PUBLISHED, expires)
