"""Small operator mistakes: a busy port, two servers on one database, a build into the wrong
folder, a .venv made by another Python."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.content import write
from helpers.feeds import parse_feed
from helpers.server import LiveServer

from feedsvc import cli
from feedsvc.cli import main

PROJECT = Path(__file__).resolve().parents[1]
ARTICLE = "---\ntitle: Article {number}\ndate: 2024-03-{day:02d}\n---\nText {number}.\n"


def test_a_busy_port_and_a_second_server_on_one_database(tmp_path: Path) -> None:
    write(tmp_path / "content", "sea/harbour.md", ARTICLE.format(number=1, day=1))
    database = tmp_path / "catalog.db"
    with LiveServer(tmp_path / "content", database, tmp_path / "first.log") as first:
        busy = LiveServer(tmp_path / "content", tmp_path / "other.db", tmp_path / "busy.log")
        busy.port, busy.base = first.port, first.base
        busy.start(wait=False)
        assert busy.process is not None and busy.process.wait(timeout=30) == 1
        log = busy.log()
        assert log == (f"Error: port {first.port} on 127.0.0.1 is already in use (another feedsvc serve, "
                       f"or another program); pick a free one with --port {first.port + 1} "
                       f"or PORT={first.port + 1}\n")
        assert not (tmp_path / "other.db").exists()  # nothing started

        with LiveServer(tmp_path / "content", database, tmp_path / "second.log") as second:
            status, body, _ = second.get("/feeds/atom.xml")
            assert status == 200 and [entry.title for entry in parse_feed(body).entries] == ["Article 1"]
            warnings = [line for line in second.log().splitlines() if " WARNING " in line]
        assert len(warnings) == 1
        assert warnings[0].endswith(
            f"WARNING feedsvc.cli: another feedsvc serve is already running on the database {database} "
            f"(a process holds {database}.leader.lock); this one serves but leaves scanning to it: run one "
            "feedsvc serve per database, or give this one its own FEEDSVC_DATABASE")
        assert " WARNING " not in first.log()


@pytest.fixture
def build_env(tmp_path: Path, content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(content))
    monkeypatch.setenv("FEEDSVC_DATABASE", str(tmp_path / "site.db"))
    monkeypatch.setenv("FEEDSVC_BASE_URL", "https://news.example.org")
    for number in range(6):
        write(content, f"sea/a{number}.md", ARTICLE.format(number=number, day=number + 1))
    return content


def test_build_refuses_a_foreign_folder_before_scanning(build_env: Path, tmp_path: Path) -> None:
    write(tmp_path, "site/notes.txt", "not a site\n")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'site'} is not empty and holds no .feedsvc-build.json "
                             "from an earlier build: choose a new or empty folder\n")
    assert not (tmp_path / "site.db").exists()  # refused before the scan


def test_build_shows_progress_while_reading_and_writing(build_env: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "PROGRESS_MIN_FILES", 5)
    result = CliRunner().invoke(main, ["build", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "Reading articles" in result.stderr and "Writing the site" in result.stderr
    assert result.stdout.startswith("published 6, drafts 0")
    assert parse_feed((tmp_path / "site" / "feeds" / "atom.xml").read_bytes()).entries[0].title == "Article 5"


def make_dry_run(folder: Path) -> list[str]:
    """The commands `make run` would run with this test's Python as PYTHON."""
    # Run under `make test`, make would otherwise inherit MAKELEVEL and print "Entering directory".
    env = {k: v for k, v in os.environ.items() if k not in {"MAKELEVEL", "MAKEFLAGS", "MFLAGS"}}
    result = subprocess.run(["make", "--no-print-directory", "-n", "run", f"PYTHON={sys.executable}"],
                            cwd=folder, env=env, capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.splitlines()


def test_make_rebuilds_a_venv_made_by_another_python(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(PROJECT / name, tmp_path / name)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (tmp_path / ".venv" / ".installed").touch()  # an install finished, once
    os.utime(tmp_path / "pyproject.toml", (0, 0))

    (bin_dir / "python").symlink_to(sys.executable)  # the same Python: nothing to do
    assert make_dry_run(tmp_path) == [".venv/bin/feedsvc serve"]

    (bin_dir / "python").unlink()
    (bin_dir / "python").write_text("#!/bin/sh\necho '3.9.2 (default, Feb 28 2021)'\n")
    (bin_dir / "python").chmod(0o755)
    commands = make_dry_run(tmp_path)
    assert commands[0] == f"{sys.executable} -m venv --clear .venv"
    assert commands[-2:] == ["touch .venv/.installed", ".venv/bin/feedsvc serve"]

    (bin_dir / "python").unlink()  # a Python since removed: the link points nowhere
    (bin_dir / "python").symlink_to(tmp_path / "gone" / "python3")
    assert make_dry_run(tmp_path)[0] == f"{sys.executable} -m venv --clear .venv"
