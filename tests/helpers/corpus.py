"""A small catalog described as data: tests write it to disk and compute expectations from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedsvc.text import slugify
from helpers.content import write


@dataclass(frozen=True)
class Article:
    path: str
    title: str
    date: str  # ISO 8601 with an offset
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    body: str

    @property
    def published(self) -> datetime:
        return datetime.fromisoformat(self.date)

    @property
    def topics(self) -> set[str]:
        """The folder under content/ and every tag, as slugs."""
        folder = self.path.split("/")[0] if "/" in self.path else None
        return {slugify(tag) for tag in self.tags} | ({folder} if folder else set())

    def words(self) -> set[str]:
        return set(re.findall(r"\w+", f"{self.title} {self.body}".casefold()))

    def markdown(self) -> str:
        authors = ", ".join(f'"{name}"' for name in self.authors)
        tags = ", ".join(self.tags)
        return (f"---\ntitle: {self.title}\ndate: {self.date}\ntags: [{tags}]\n"
                f"authors: [{authors}]\n---\n\n{self.body}\n")


ARTICLES = (
    Article("science/comet.md", "A comet at dusk", "2023-02-01T20:00:00+01:00",
            ("Astronomy", "Night Sky"), ("Ana Ruiz",),
            "Look west after sunset: the comet glows green."),
    Article("science/glacier.md", "Glacier survey ends its tenth summer", "2023-08-14T09:00:00+00:00",
            ("Climate",), ("Lars Eide", "Ana Ruiz"),
            "The ice retreated again; the harbour below flooded twice."),
    Article("science/battery.md", "A sodium battery through a winter", "2024-01-22T09:30:00+01:00",
            ("Energy",), ("Jonas Brandt",), "Sodium cells kept their charge at minus twenty degrees."),
    Article("economy/ports.md", "Ports add night shifts", "2022-03-04T12:00:00+00:00",
            ("Trade",), ("Mia Kovač",), "Harbour cranes now run around the clock at night."),
    Article("economy/bread.md", "Bread prices climb for a third month", "2022-11-08T07:15:00-05:00",
            ("Food", "Prices"), ("Mia Kovač",), "Flour and energy costs push bread up; bakers trim hours."),
    Article("economy/rail.md", "Rail freight doubles across the steppe", "2023-09-19T00:00:00+06:00",
            ("Trade", "Transport"), ("Daniyar Sadykov",),
            "Container trains cross in four days; the harbour waits."),
    Article("culture/choir.md", "Twelve village choirs, one stage", "2022-07-03T18:00:00+02:00",
            ("Music",), ("Helga Strand",), "Singers filled the square until night fell."),
    Article("culture/library.md", "The library stays open all night", "2024-04-12T22:00:00+00:00",
            ("Books",), (), "Readings ran every hour; a cookbook was borrowed most."),
    Article("market.md", "Market day returns to the old square", "2021-05-15T08:00:00+03:00",
            ("Food",), ("Helga Strand",), "Cheese, bread and honey under striped awnings."),
    Article("economy/energy.md", "Energy prices ease in spring", "2023-04-02T10:00:00+02:00",
            ("Energy", "Prices"), ("Lars Eide",), "Gas storage is full; the night tariff falls."),
)


def write_corpus(content: Path) -> None:
    for article in ARTICLES:
        write(content, article.path, article.markdown())


def titles(predicate=lambda article: True) -> list[str]:
    """Titles of the matching articles in feed order: newest first."""
    chosen = [article for article in ARTICLES if predicate(article)]
    return [a.title for a in sorted(chosen, key=lambda article: article.published, reverse=True)]


def all_topics() -> set[str]:
    return set().union(*(article.topics for article in ARTICLES))
