"""Prometheus metrics: requests counted by every process, scan facts read from the catalog.

Under gunicorn each worker counts the requests it serves. `feedsvc serve` hands every
worker one folder (server.py): the counts live in files there and /metrics, whichever
worker answers, sums every worker's, including workers that have exited. Scan facts
(duration, entries, errors) come from the catalog all processes share, so every worker
reports the same values, whichever process scanned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from .store import Store

METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}  # others count as OTHER
_RULE_VARIABLE = re.compile(r"<(?:[^<>]*:)?(\w+)>")  # <slug>, <slug:slug>, <any('a', 'b'):name>


@lru_cache(maxsize=64)
def route_label(rule: str) -> str:
    """A Flask rule as a readable, stable label: `/topics/{slug}/{file_name}`, not the rule's
    converters (`<any('atom.xml', 'rss.xml', 'feed.json'):file_name>`)."""
    return _RULE_VARIABLE.sub(r"{\1}", rule)


class CatalogCollector:
    """Scan and catalog figures, read from the store at every scrape."""

    def __init__(self, store: Store):
        self.store = store

    def collect(self) -> Iterator[Metric]:
        report: dict[str, Any] = self.store.last_report() or {}
        counts = self.store.scan_counts()
        scans = CounterMetricFamily("feedsvc_scans", "Scans run, by outcome.", labels=["outcome"])
        scans.add_metric(["committed"], counts["committed"])
        scans.add_metric(["failed"], counts["failed"])
        yield scans
        finished = report.get("finished")
        yield GaugeMetricFamily(
            "feedsvc_last_scan_timestamp_seconds", "When the last scan finished (Unix time).",
            value=datetime.fromisoformat(finished).timestamp() if finished else 0,
        )
        yield GaugeMetricFamily("feedsvc_last_scan_duration_seconds", "Duration of the last scan.",
                                value=report.get("duration", 0))
        yield GaugeMetricFamily("feedsvc_last_scan_files_read", "Files the last scan read.",
                                value=report.get("read", 0))
        yield GaugeMetricFamily("feedsvc_entries", "Entries in the catalog.",
                                value=report.get("published", 0))
        yield GaugeMetricFamily("feedsvc_scan_errors", "Files that failed in the last scan.",
                                value=len(report.get("errors", [])))
        yield GaugeMetricFamily("feedsvc_scan_warnings", "Warnings raised by the last scan.",
                                value=len(report.get("warnings", [])))


class Metrics:
    """The metrics of one process and their exposition."""

    def __init__(self, store: Store, multiprocess_dir: Path | None = None):
        # In multi-process mode the values go to files in multiprocess_dir, and the registry
        # is built per scrape.
        self._multiprocess_dir = multiprocess_dir
        self._registry = None if multiprocess_dir else CollectorRegistry()
        self.requests = Counter(
            "feedsvc_http_requests", "HTTP requests answered, by route, method and status.",
            ["route", "method", "status"], registry=self._registry,
        )
        self.latency = Histogram(
            "feedsvc_http_request_duration_seconds", "Time to answer HTTP requests, by route.",
            ["route"], registry=self._registry,
        )
        self.skipped_renders = Counter(
            "feedsvc_renders_skipped", "Documents not rendered: client_gone (the client closed "
            "the connection first), busy (no render slot for a query not asked before).",
            ["reason"], registry=self._registry,
        )
        self._collectors: list[Any] = [CatalogCollector(store)]  # figures read at each scrape
        if self._registry is not None:
            self._registry.register(self._collectors[0])

    def add_collector(self, collector: Any) -> None:
        """Expose more figures read at each scrape (an object with collect(), as CatalogCollector)."""
        self._collectors.append(collector)
        if self._registry is not None:
            self._registry.register(collector)

    def count_request(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request; route is the rule matched, never the raw path."""
        method = method if method in METHODS else "OTHER"
        label = route_label(route)
        self.requests.labels(label, method, str(status)).inc()
        self.latency.labels(label).observe(seconds)

    def count_skipped_render(self, reason: str) -> None:
        self.skipped_renders.labels(reason).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The Prometheus text format of every metric, and its content type."""
        registry = self._registry
        if registry is None:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=str(self._multiprocess_dir))
            for collector in self._collectors:
                registry.register(collector)
        return generate_latest(registry), CONTENT_TYPE_LATEST
