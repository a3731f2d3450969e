"""Serving cost: feedsvc against a bare Flask app returning the same feed bytes.

Generates a catalog of 10,000 articles, starts `feedsvc serve` and then a bare Flask app
that answers the same path with the same bytes and headers (and a 304 when If-None-Match
is its ETag), both under gunicorn with identical settings (server.options), one after the
other. Loads each with wrk on 127.0.0.1, alternating rounds, for the 200 path and the 304
path, and prints requests per second and the ratio feedsvc/bare. The ratio compares the
best round of each: on a shared machine other work only ever lowers a round, so the best
round is the least disturbed one (the ratio of the medians is printed too).
DESIGN §9 / issue 5 target: at least 0.9 for both paths.

    .venv/bin/python bench/serve.py [--articles 10000] [--workers 2] [--threads 4]
                                    [--connections 16] [--seconds 5] [--rounds 5]

Needs wrk (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from rescan import generate  # noqa: E402

from feedsvc import server  # noqa: E402
from feedsvc.config import load_settings  # noqa: E402
from feedsvc.scan import scan_once  # noqa: E402

FEED_PATH = "/feeds/atom.xml"
COPIED_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "Vary")


def bare_app(body: bytes, headers: dict[str, str]):
    """The reference: a Flask view returning fixed bytes, 304 when the ETag matches."""
    from flask import Flask, Response, request

    app = Flask("bare")

    @app.get(FEED_PATH)
    def feed() -> Response:
        if request.headers.get("If-None-Match") == headers["ETag"]:
            return Response(status=304, headers={k: v for k, v in headers.items() if k != "Content-Type"})
        return Response(body, headers=headers)

    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(port: int, path: str, **headers: str) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def wait_until(port: int, path: str, process: subprocess.Popen, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {process.returncode}")
        try:
            if fetch(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server on port {port} not ready after {seconds}s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def wrk(port: int, args: argparse.Namespace, etag: str | None) -> float:
    """Requests per second of one wrk run; every response must be the expected status."""
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s"]
    if etag:
        command += ["-H", f"If-None-Match: {etag}"]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{FEED_PATH}"],
                            capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise SystemExit(f"wrk saw errors:\n{output}")
    return float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--serve-bare", nargs=2, metavar=("PORT", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(int(args.serve_bare[0]), Path(args.serve_bare[1]), args)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="feedsvc-serve-") as tmp:
        root = Path(tmp)
        feedsvc_port, bare_port = free_port(), free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith("FEEDSVC_")}
        env.update(FEEDSVC_CONTENT_DIR=str(root / "content"), FEEDSVC_DATABASE=str(root / "db.sqlite"),
                   FEEDSVC_BASE_URL=f"http://127.0.0.1:{feedsvc_port}", FEEDSVC_SCAN_INTERVAL="3600")
        generate(root / "content", args.articles)
        started = time.perf_counter()
        report = scan_once(load_settings(environ=env))
        print(f"catalog: {report.published} articles, first scan {time.perf_counter() - started:.1f}s")

        log = open(os.devnull, "wb")  # noqa: SIM115 - both servers log to the same sink
        common = {"cwd": root, "stdout": log, "stderr": subprocess.STDOUT, "start_new_session": True}
        feedsvc = subprocess.Popen(
            [sys.executable, "-m", "feedsvc", "serve", "--port", str(feedsvc_port),
             "--workers", str(args.workers), "--threads", str(args.threads)], env=env, **common)
        try:
            wait_until(feedsvc_port, "/readyz", feedsvc)
            status, body, headers = fetch(feedsvc_port, FEED_PATH)
            assert status == 200, status
            (root / "feed.body").write_bytes(body)
            (root / "feed.headers").write_text(
                "".join(f"{name}: {headers[name]}\n" for name in COPIED_HEADERS), encoding="utf-8")
            bare = subprocess.Popen(
                [sys.executable, __file__, "--serve-bare", str(bare_port), str(root),
                 "--workers", str(args.workers), "--threads", str(args.threads)], env=env, **common)
            try:
                wait_until(bare_port, FEED_PATH, bare)
                measure(args, feedsvc_port, bare_port, body, headers["ETag"])
            finally:
                stop(bare)
        finally:
            stop(feedsvc)
            log.close()


def serve_bare(port: int, folder: Path, args: argparse.Namespace) -> None:
    lines = (folder / "feed.headers").read_text(encoding="utf-8").splitlines()
    headers = dict(line.split(": ", 1) for line in lines)
    app = bare_app((folder / "feed.body").read_bytes(), headers)
    server.FeedServer(server.options("127.0.0.1", port, args.workers, args.threads),
                      load_settings(), load_app=lambda: app).run()


def measure(args: argparse.Namespace, feedsvc_port: int, bare_port: int, body: bytes, etag: str) -> None:
    for port in (feedsvc_port, bare_port):
        status, same, _ = fetch(port, FEED_PATH)
        assert (status, same) == (200, body), f"port {port} does not serve the same bytes"
        assert fetch(port, FEED_PATH, **{"If-None-Match": etag})[0] == 304
    print(f"feed: {FEED_PATH}, {len(body)} bytes, ETag {etag}")
    print(f"gunicorn: {args.workers} workers x {args.threads} threads (gthread); "
          f"wrk -t1 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds each")
    ratios = {}
    for name, path_etag in (("200", None), ("304", etag)):
        runs: dict[str, list[float]] = {"feedsvc": [], "bare": []}
        for _ in range(args.rounds):
            runs["feedsvc"].append(wrk(feedsvc_port, args, path_etag))
            runs["bare"].append(wrk(bare_port, args, path_etag))
        ours, theirs = max(runs["feedsvc"]), max(runs["bare"])
        ratios[name] = ours / theirs
        medians = statistics.median(runs["feedsvc"]) / statistics.median(runs["bare"])
        print(f"{name}: feedsvc {ours:8.0f} req/s  bare {theirs:8.0f} req/s  ratio {ratios[name]:.2f}  "
              f"(ratio of medians {medians:.2f}; rounds: feedsvc "
              f"{', '.join(f'{r:.0f}' for r in runs['feedsvc'])}; "
              f"bare {', '.join(f'{r:.0f}' for r in runs['bare'])})")
    print(f"RESULT serve ratio={min(ratios.values()):.2f} target=>=0.9")


if __name__ == "__main__":
    main()
