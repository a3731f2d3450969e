"""feedgen extensions for what feedgen does not write: a podcast's itunes: and podcast: tags
(RSS) and an Atom entry's enclosure links."""

from __future__ import annotations

from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

from .model import Attachment, Entry
from .podcast import ARTWORK_TYPES, EPISODE_EXTENSIONS, ITUNES_NS, PODCAST_NS, Show, duration_text


def rss_enclosure(attachments: tuple[Attachment, ...]) -> Attachment:
    """The attachment an RSS item carries: the first whose type podcast apps play, else the first."""
    return next((attachment for attachment in attachments
                 if attachment.url.lower().endswith(EPISODE_EXTENSIONS)), attachments[0])


class ShowExtension(BaseExtension):
    """feedgen extension writing the channel's itunes: and podcast: tags (RSS only)."""

    show: Show | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS}

    def extend_rss(self, rss_feed: Any) -> Any:
        show = self.show
        if show is None:
            return rss_feed
        channel, podcast = rss_feed[0], show.podcast
        xml_elem(f"{{{ITUNES_NS}}}author", channel).text = show.author
        owner = xml_elem(f"{{{ITUNES_NS}}}owner", channel)
        xml_elem(f"{{{ITUNES_NS}}}name", owner).text = podcast.owner_name or show.author
        xml_elem(f"{{{ITUNES_NS}}}email", owner).text = podcast.owner_email
        xml_elem(f"{{{ITUNES_NS}}}image", channel).set("href", show.artwork_url)
        for names in podcast.categories:
            category = xml_elem(f"{{{ITUNES_NS}}}category", channel)
            category.set("text", names[0])
            if len(names) > 1:
                xml_elem(f"{{{ITUNES_NS}}}category", category).set("text", names[1])
        xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "true" if podcast.explicit else "false"
        xml_elem(f"{{{ITUNES_NS}}}type", channel).text = podcast.type
        xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = show.guid
        locked = xml_elem(f"{{{PODCAST_NS}}}locked", channel)
        locked.text = "yes" if podcast.locked else "no"
        locked.set("owner", podcast.owner_email)
        return rss_feed


class EnclosureLinks(BaseEntryExtension):
    """feedgen extension writing an Atom entry's rel="enclosure" links (feedgen's own entry
    links lose their rel, type and length)."""

    attachments: tuple[Attachment, ...] = ()

    def extend_atom(self, entry: Any) -> Any:
        for attachment in self.attachments:
            link = xml_elem("link", entry, rel="enclosure", href=attachment.url, type=attachment.type)
            if attachment.length:  # unknown for a file elsewhere: Atom lets it out
                link.set("length", str(attachment.length))
        return entry


class EpisodeExtension(BaseEntryExtension):
    """feedgen extension writing an item's itunes: tags (RSS only)."""

    entry: Entry | None = None

    def extend_rss(self, item: Any) -> Any:
        entry = self.entry
        if entry is None:
            return item
        episode = entry.episode
        duration = rss_enclosure(entry.attachments).duration if entry.attachments else None
        if duration:
            xml_elem(f"{{{ITUNES_NS}}}duration", item).text = duration_text(duration)
        if entry.image and entry.image.lower().endswith(ARTWORK_TYPES):
            xml_elem(f"{{{ITUNES_NS}}}image", item).set("href", entry.image)
        if episode.explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", item).text = "true" if episode.explicit else "false"
        if episode.number:
            xml_elem(f"{{{ITUNES_NS}}}episode", item).text = str(episode.number)
        if episode.season:
            xml_elem(f"{{{ITUNES_NS}}}season", item).text = str(episode.season)
        xml_elem(f"{{{ITUNES_NS}}}episodeType", item).text = episode.kind
        return item
