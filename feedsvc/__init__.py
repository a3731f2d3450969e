"""feedsvc: publish a folder of articles as Atom and RSS feeds, per topic."""

__version__ = "0.1.0"
