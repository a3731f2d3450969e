"""A short soak: bench/soak.py against a real multi-worker gunicorn, with edits in flight."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SOAK = Path(__file__).resolve().parents[1] / "bench" / "soak.py"


def figure(output: str, pattern: str) -> str:
    found = re.search(pattern, output, re.MULTILINE)
    assert found, f"{pattern!r} not in:\n{output}"
    return found.group(1)


def test_short_soak_serves_every_request_while_articles_change() -> None:
    result = subprocess.run(
        [sys.executable, str(SOAK), "--seconds", "8", "--articles", "150", "--workers", "2",
         "--threads", "4", "--clients", "4", "--edit-interval", "0.2"],
        capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert figure(output, r"^errors (\d+)$") == "0"
    assert int(figure(output, r"^requests (\d+)")) >= 100
    assert int(figure(output, r"\b200=(\d+)")) > 0
    assert int(figure(output, r"\b304=(\d+)")) > 0  # conditional GETs of unchanged feeds
    for kind in ("filtered", "paged", "gzip", "page"):
        assert int(figure(output, rf"\b{kind}=(\d+)")) > 0, kind
    assert int(figure(output, r"(\d+) added")) > 0
    assert int(figure(output, r"scans during the run: (\d+)")) >= 3  # scans ran under load
    assert figure(output, r"catalog version changed: (\w+)") == "True"
    assert figure(output, r"final catalog matches the folder: (.+)$") == "yes"
    peaks = [float(mb) for mb in re.findall(r"(\d+\.\d) MB", figure(output, r"^peak RSS per worker: (.+)$"))]
    assert len(peaks) == 2
    # the fork server of the scans' reading processes, those processes, multiprocessing's resource
    # tracker; nothing else
    children = figure(output, r"^peak RSS of the workers' child processes: (.+)$")
    kinds = {part.split(" x")[0] for part in children.split("; ")}
    assert "fork server" in kinds, children
    assert kinds <= {"fork server", "reading process", "resource tracker"}, children
    memory_ratio = float(figure(output, r"^RESULT soak_memory ratio=(\S+) target=<1$"))
    assert abs(memory_ratio - max(peaks) / 150) < 0.001
    assert output.rstrip().endswith("RESULT soak ratio=0.000000 target=<=0")
