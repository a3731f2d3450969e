"""Reading /metrics: samples by name and labels, and the route label of a path."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from feedsvc.metrics import route_label


def metric_samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text exposition, by name and sorted labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def route_of(app, path: str) -> str:
    """The label requests for a path are counted under: the URL rule the app matches, readable."""
    rule, _ = app.url_map.bind("localhost").match(path, return_rule=True)
    return route_label(str(rule.rule))
