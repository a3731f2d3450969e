"""The ops blueprint: probes, status, metrics and the admin rescan."""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from ..errors import without_value
from ..limits import Refused
from .hooks import PLAIN_TEXT, refusal
from .service import service

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers."""
    return Response("ok\n", content_type=PLAIN_TEXT)


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness: 503 until a scan has finished since start-up (for a server that does not
    scan: until the catalog holds one), while the content folder is missing, and while the
    catalog's database cannot be reached (the reason in the body)."""
    reason = service().unready_reason()
    if reason is None:
        return Response("ready\n", content_type=PLAIN_TEXT)
    return Response(reason + "\n", status=503, content_type=PLAIN_TEXT)


@bp.get("/status")
def status() -> Response:
    """Scans and catalog as JSON: last scan with per-file problems, recent scans and who ran them."""
    svc = service()
    return jsonify({
        "pid": os.getpid(),
        "ready": svc.ready(),
        "version": svc.store.version(),
        "served_version": svc.version(),  # what this process serves: equal within a second
        "last_scan": _without_values(svc.store.last_report()),
        "scheduled": svc.store.due(),  # articles to be published or to expire, soonest first
        "recent_scans": svc.store.scan_history(),
        **{name: section() for name, section in svc.status_sections.items()},
    })


def _without_values(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """A scan report as anyone may read it: each file's problems name the field and what is
    wrong, never the value (a draft's text, or a file's that is not published as it is)."""
    if report is None:
        return None
    return {**report, **{
        kind: [{**problem, "reason": without_value(problem["reason"])} for problem in report.get(kind, [])]
        for kind in ("errors", "warnings", "skipped_files")
    }}


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format: requests of every worker, scan and catalog figures."""
    body, content_type = service().metrics.exposition()
    return Response(body, content_type=content_type)


@bp.post("/admin/rescan")
def admin_rescan() -> Response:
    """Scan now; needs `Authorization: Bearer <admin token>`, absent when no token is set."""
    svc = service()
    if svc.admin_guard is None:
        abort(404)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    given = given.strip() if scheme.lower() == "bearer" else ""  # no token is a wrong one
    try:
        allowed = svc.admin_guard.check(request.remote_addr or "", given)
    except Refused as refused:  # an address that kept sending wrong tokens waits
        return refusal(429, refused)
    if not allowed:
        return Response("401 Unauthorized: send Authorization: Bearer <FEEDSVC_ADMIN_TOKEN>\n",
                        status=401, content_type=PLAIN_TEXT,
                        headers={"WWW-Authenticate": 'Bearer realm="feedsvc"'})
    from ..scan import scan_once  # here: the scan imports the readers (0.2 s), which a worker
    # serving feeds never needs
    report = scan_once(svc.settings, svc.store)
    svc.forget_version()
    return jsonify({**report.as_dict(), "version": svc.store.version()})
