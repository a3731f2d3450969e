"""The catalog: the only package that speaks SQL.

Store(database) opens a catalog on SQLite (a file path, the default) or PostgreSQL (a
postgresql:// URL). A scan is committed in one transaction, so readers see the old
catalog or the new one. The catalog version is a hash of everything the feeds are made of:
it changes exactly when some feed's content changes, and is the same across restarts,
processes and backends. It is kept cheap for large catalogs: every entry row carries a
fingerprint of its content, the sum of all fingerprints is maintained as entries come and
go, and the version hashes that sum with the topic list, so a scan costs what it changed.
"""

from .base import Store

__all__ = ["Store"]
