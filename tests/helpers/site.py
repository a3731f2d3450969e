"""The small site that page, browser and export tests read: four articles with topics,
authors, an update, a canonical link, markup in a title and a script in the text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from feedsvc.text import slugify
from helpers.content import write


@dataclass(frozen=True)
class Article:
    path: str
    title: str
    published: date
    text: str
    topics: tuple[str, ...] = ()  # labels, besides the folder
    authors: tuple[str, ...] = ()
    updated: date | None = None
    link: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.path.rsplit(".", 1)[0].replace("/", " "), 128)

    @property
    def topic_slugs(self) -> set[str]:
        folder = [self.path.split("/")[0]] if "/" in self.path else []
        return {slugify(label) for label in [*self.topics, *folder]}

    def markdown(self) -> str:
        lines = [f"title: {self.title}", f"date: {self.published.isoformat()}"]
        if self.updated:
            lines.append(f"updated: {self.updated.isoformat()}")
        if self.topics:
            lines.append(f"tags: [{', '.join(self.topics)}]")
        if self.authors:
            lines.append(f"authors: [{', '.join(self.authors)}]")
        if self.link:
            lines.append(f"link: {self.link}")
        return "---\n" + "\n".join(lines) + "\n---\n\n" + self.text + "\n"


ARTICLES = [
    Article("harbour/ferries-return.md", "Ferries return to the old harbour", date(2023, 5, 2),
            "The first ferry in nine years docked at dawn.\n\n<script>alert('x')</script>\n\n"
            "Tickets sold out within the hour.",
            topics=("Coastal Towns",), authors=("Marta Lind", "Omar Haddad"), updated=date(2023, 5, 9)),
    Article("science/moth-count.md", "Night moths & bats come back to the <city> parks", date(2022, 8, 14),
            "Volunteers counted forty-one species in a single night.", topics=("Coastal Towns",)),
    Article("science/tide-gauge.md", "A tide gauge that runs for a century", date(2021, 3, 1),
            "The gauge was installed in 1921 and still reports every ten minutes.",
            link="https://archive.example.com/tide-gauge"),
    Article("quiet-week.md", "A quiet week at the town hall", date(2020, 12, 30),
            "Nothing was decided, and everyone went home early."),
]


def newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda article: article.published, reverse=True)


def write_articles(content: Path) -> None:
    for article in ARTICLES:
        write(content, article.path, article.markdown())
