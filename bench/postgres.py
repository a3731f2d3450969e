"""The PostgreSQL catalog against SQLite's: a first scan of 10,000 articles, and cached serving.

Generates the articles, times a first scan into an empty SQLite file and into an empty
PostgreSQL database (in turn, --scan-rounds times each, the best of each compared), then
starts `feedsvc serve` on each catalog, checks they serve the same bytes and ETag, and loads
each with wrk on 127.0.0.1 in alternating rounds (the best round of each compared, as
bench/serve.py does). PostgreSQL is a throwaway cluster of its own (tests/helpers/postgres.py)
unless --url names an empty database. Issue 17 targets: serving at least 0.9 of SQLite's
requests per second, a first scan at most twice SQLite's time.

    .venv/bin/python bench/postgres.py [--articles 10000] [--scan-rounds 1] [--rounds 5]
                                       [--workers 2] [--threads 4] [--connections 16]
                                       [--seconds 5] [--url postgresql://...]

Needs wrk (Debian: apt-get install wrk) and, without --url, PostgreSQL's server programs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH), str(BENCH.parent / "tests")]

from helpers.postgres import PostgresServer, bin_dir, unprivileged_user  # noqa: E402
from rescan import generate  # noqa: E402
from serve import FEED_PATH, fetch, free_port, stop, wait_until, wrk  # noqa: E402

from feedsvc import catalog  # noqa: E402
from feedsvc.config import load_settings  # noqa: E402
from feedsvc.scan import scan_once  # noqa: E402


def first_scan(env: dict[str, str]) -> float:
    started = time.perf_counter()
    report = scan_once(load_settings(environ=env), quiet=True)
    seconds = time.perf_counter() - started
    assert not report.errors, report.errors[:3]
    return seconds


def empty_database(server: PostgresServer | None, url: str | None, number: int) -> str:
    if server is None:
        assert url is not None
        return url
    server.admin(f"CREATE DATABASE bench_{number}")
    return server.url(f"bench_{number}")


def compare_scans(args: argparse.Namespace, root: Path, server: PostgresServer | None) -> dict[str, str]:
    """Time the first scans; return the environment of each catalog's last one."""
    seconds: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    envs: dict[str, dict[str, str]] = {}
    base = {key: value for key, value in os.environ.items() if not key.startswith("FEEDSVC_")}
    base.update(FEEDSVC_CONTENT_DIR=str(root / "content"), FEEDSVC_SCAN_INTERVAL="3600",
                FEEDSVC_BASE_URL="https://news.example.org")  # both servers: the same ids and links
    # every first scan commits at one time: feeds show it (Last-Modified), and must be equal
    committed = time.time()
    catalog.time = SimpleNamespace(time=lambda: committed, sleep=time.sleep)  # type: ignore[assignment]
    for number in range(args.scan_rounds):
        envs["sqlite"] = {**base, "FEEDSVC_DATABASE": str(root / f"scan-{number}.db")}
        envs["postgresql"] = {**base, "FEEDSVC_DATABASE": empty_database(server, args.url, number)}
        for name, env in envs.items():
            seconds[name].append(first_scan(env))
    best = {name: min(values) for name, values in seconds.items()}
    print(f"first scan of {args.articles} articles: sqlite {best['sqlite']:.1f}s, postgresql "
          f"{best['postgresql']:.1f}s (rounds: {seconds})")
    print(f"RESULT postgres_scan ratio={best['postgresql'] / best['sqlite']:.2f} target=<=2")
    return envs


def compare_serving(args: argparse.Namespace, root: Path, envs: dict[str, dict[str, str]]) -> None:
    log = open(os.devnull, "wb")  # noqa: SIM115 - both servers log to the same sink
    servers, ports = {}, {}
    try:
        for name, env in envs.items():
            ports[name] = free_port()
            servers[name] = subprocess.Popen(
                [sys.executable, "-m", "feedsvc", "serve", "--port", str(ports[name]),
                 "--workers", str(args.workers), "--threads", str(args.threads)],
                env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        for name, port in ports.items():
            wait_until(port, "/readyz", servers[name])
        answers = {name: fetch(port, FEED_PATH) for name, port in ports.items()}
        bodies = {(status, body, headers["ETag"]) for status, body, headers in answers.values()}
        assert len(bodies) == 1, "the two catalogs do not serve the same bytes and ETag"
        print(f"feed: {FEED_PATH}, {len(answers['sqlite'][1])} bytes, the same on both; gunicorn "
              f"{args.workers} workers x {args.threads} threads; wrk -c{args.connections} "
              f"-d{args.seconds}s, {args.rounds} rounds each")
        runs: dict[str, list[float]] = {name: [] for name in ports}
        for _ in range(args.rounds):
            for name, port in ports.items():
                runs[name].append(wrk(port, args, None))
        best = {name: max(values) for name, values in runs.items()}
        medians = statistics.median(runs["postgresql"]) / statistics.median(runs["sqlite"])
        print(f"cached serving: sqlite {best['sqlite']:.0f} req/s, postgresql {best['postgresql']:.0f} "
              f"req/s (ratio of medians {medians:.2f}; rounds: {runs})")
        print(f"RESULT postgres_serve ratio={best['postgresql'] / best['sqlite']:.2f} target=>=0.9")
    finally:
        for process in servers.values():
            stop(process)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--scan-rounds", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--url", help="an empty PostgreSQL database (--scan-rounds 1)")
    args = parser.parse_args()
    if args.url and args.scan_rounds != 1:
        raise SystemExit("--url names one empty database: give --scan-rounds 1")
    server = None
    if not args.url:
        programs, runner = bin_dir(), unprivileged_user()
        if programs is None or runner is None:
            raise SystemExit("PostgreSQL's server programs are not installed: give --url")
        server = PostgresServer(programs, runner, free_port())
    try:
        if server is not None:
            server.start()
        with tempfile.TemporaryDirectory(prefix="feedsvc-bench-pg-") as tmp:
            root = Path(tmp)
            generate(root / "content", args.articles)
            envs = compare_scans(args, root, server)
            compare_serving(args, root, envs)
    finally:
        if server is not None:
            server.remove()


if __name__ == "__main__":
    main()
