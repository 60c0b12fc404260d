"""``kg serve`` as a command: its options, and a real start-serve-stop in a child process under the
no-outbound-traffic guard, with the query workers gone after the server stops.

The child binds 127.0.0.1 on a port the test picked free; the test only talks to that address.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kg import serve_cli

ROOT = Path(__file__).resolve().parent.parent
# What `kg serve` runs once kg/cli.py calls serve_cli (inside the guard, as every kg command is).
CHILD = """
import argparse, sys
from kg import serve_cli
from kg.guard import no_outbound_traffic
parser = argparse.ArgumentParser(prog="kg")
serve_cli.add_parser(parser.add_subparsers(dest="command"))
args = parser.parse_args(sys.argv[1:])
with no_outbound_traffic():
    raise SystemExit(serve_cli.run(args))
"""


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kg", exit_on_error=False)
    serve_cli.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["serve", *argv])


def test_defaults_bind_loopback() -> None:
    args = parse()
    assert (args.host, args.port, args.timeout, args.graph) == ("127.0.0.1", 8765, 10.0, None)
    assert args.max_rows > 0 and args.max_body > 0 and args.workers >= 1


@pytest.mark.parametrize("argv", [["--port", "0"], ["--port", "70000"], ["--timeout", "-1"],
                                  ["--timeout", "inf"], ["--max-rows", "0"], ["--workers", "x"]])
def test_bad_options_are_refused(argv: list[str]) -> None:
    with pytest.raises((argparse.ArgumentError, SystemExit)):
        parse(*argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the worker processes")
def test_serve_starts_answers_and_stops_with_its_workers() -> None:
    port = free_port()
    child = subprocess.Popen([sys.executable, "-c", CHILD, "serve", "--port", str(port), "--workers", "2"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert child.poll() is None, child.communicate()
            try:
                response = httpx.get(base + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "kg serve did not start listening"
                time.sleep(0.2)
        assert response.json()["boolean"] is True
        workers = children_of(child.pid)
        assert len(workers) == 2
    finally:
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in err
    time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
