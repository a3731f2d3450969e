"""/status, which anyone may read, names each file's problem without the unpublished text it
is about; `feedsvc check` and `feedsvc scan`, run by the publisher, show the value."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner
from helpers.content import write
from helpers.server import LiveServer

from feedsvc.cli import main

SECRET_DATE = "Merger with Acme announced on the third"
SECRET_LINK = "internal/acme-merger-press-release"
SECRET_UPDATED = "after the Acme board vote"
SECRET_ID = "urn:acme:merger:secret"
FILES = {
    # a draft whose date is not a date: the case of the report
    "drafts/merger.md": f"---\ntitle: Draft\ndate: {SECRET_DATE}\ndraft: true\n---\n\nSoon.\n",
    # a draft with a link that is not absolute: a warning naming its value
    "drafts/link.md": f"---\ntitle: L\ndate: 2024-01-02\ndraft: true\nlink: {SECRET_LINK}\n---\n\nx\n",
    # an article dated in the future, with an edit that does not parse
    "world/scheduled.md": f"---\ntitle: Later\ndate: 2099-01-01\nupdated: {SECRET_UPDATED}\n---\n\nx\n",
    # two files claiming one id
    "world/a.md": f"---\ntitle: A\ndate: 2024-01-01\nid: {SECRET_ID}\n---\n\nx\n",
    "world/b.md": f"---\ntitle: B\ndate: 2024-01-03\nid: {SECRET_ID}\n---\n\nx\n",
}
SECRETS = (SECRET_DATE, SECRET_LINK, SECRET_UPDATED, SECRET_ID)
EXPECTED = {  # path: what /status says of it
    "drafts/merger.md": "date: unrecognized date (use YYYY-MM-DD, ISO 8601 or RFC 822): "
                        "using the time the file was first seen",
    "drafts/link.md": "link: not an absolute http(s) URL; ignored",
    "world/scheduled.md": "updated: unrecognized date (use YYYY-MM-DD, ISO 8601 or RFC 822); ignored",
    "world/b.md": "duplicate id: already used by world/a.md",
}


def test_status_names_the_field_and_the_problem_never_the_value(tmp_path: Path) -> None:
    for path, text in FILES.items():
        write(tmp_path / "content", path, text)
    with LiveServer(tmp_path / "content", tmp_path / "catalog.db", tmp_path / "serve.log",
                    scan_interval=3600) as server:
        status, body, _headers = server.get("/status")
    assert status == 200
    for secret in SECRETS:
        assert secret not in body.decode()
    scan = json.loads(body)["last_scan"]
    problems = {problem["path"]: problem["reason"] for problem in scan["errors"] + scan["warnings"]}
    assert problems == EXPECTED


def test_the_publisher_sees_the_values_in_check_and_scan(tmp_path: Path, monkeypatch) -> None:
    for path, text in FILES.items():
        write(tmp_path / "content", path, text)
    monkeypatch.setitem(os.environ, "FEEDSVC_DATABASE", str(tmp_path / "catalog.db"))
    checked = CliRunner().invoke(main, ["check", "content/drafts", "content/world/scheduled.md"])
    assert checked.exit_code == 0  # unreadable dates are warnings: the posts are published
    for secret in (SECRET_DATE, SECRET_LINK, SECRET_UPDATED):
        assert repr(secret) in checked.output
    scanned = CliRunner().invoke(main, ["scan"])
    assert f"got {SECRET_DATE!r}" in scanned.output and f"got {SECRET_ID!r}" in scanned.output
