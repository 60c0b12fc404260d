"""A throwaway Virtuoso for the push tests: Debian's ``virtuoso-t`` in a temporary folder, on free loopback
ports, started in the foreground and stopped (SIGTERM, then SIGKILL) by the test that owns it.

Debian's ``virtuoso-opensource-7`` starts nothing by itself (its service is refused by policy-rc.d in a
container, and the tests must not touch /var/lib anyway), so :func:`start` writes a minimal ``virtuoso.ini``:
every file of the database in the folder, ``DirsAllowed`` the folder only, the SQL port and the HTTP port
bound to 127.0.0.1, small buffers (``NumberOfBuffers`` 10000 is about 80 MB), no periodic checkpoint. A new
database gets the default ``dba``/``dba`` account, which holds ``SPARQL_UPDATE``: the Graph Store endpoint is
``/sparql-graph-crud-auth`` and SPARQL Update ``/sparql-auth``, both with HTTP digest auth; ``/sparql``
answers anonymous read-only queries. ``[SPARQL] ResultSetMaxRows`` is raised so no test answer is cut.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BINARY = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
USER, PASSWORD = "dba", "dba"

INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 8
MaxClientConnections = 8
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def available() -> bool:
    """True if Debian's Virtuoso binary is installed."""
    return Path(BINARY).is_file() and os.access(BINARY, os.X_OK)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Virtuoso:
    """One running server; ``base`` is its HTTP root."""

    folder: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def update(self) -> str:
        return f"{self.base}/sparql-auth"

    @property
    def gsp(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    def start(self, timeout_s: float = 60.0) -> Virtuoso:
        """Start (or restart, on the same database) and wait until ``/sparql`` answers."""
        log = (self.folder / "stdout.log").open("ab")
        self.process = subprocess.Popen([BINARY, "+foreground", "+configfile", str(self.folder / "virtuoso.ini")],
                                        cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.sparql, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not answer on {self.base} within {timeout_s:g} s:\n{self.log_tail()}")

    def stop(self, grace_s: float = 20.0) -> None:
        """SIGTERM (Virtuoso checkpoints and exits), then SIGKILL if it takes longer than ``grace_s``."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL: the crash the push must survive."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 20) -> str:
        found = [path.read_text(errors="replace") for path in (self.folder / "virtuoso.log",
                                                                  self.folder / "stdout.log") if path.exists()]
        return "\n".join("\n".join(text.splitlines()[-lines:]) for text in found)

    def select(self, query: str) -> list[dict[str, str]]:
        """Rows of an anonymous read query, each variable's value as a string."""
        response = httpx.post(self.sparql, data={"query": query}, timeout=60,
                              headers={"Accept": "application/sparql-results+json"})
        response.raise_for_status()
        return [{name: cell["value"] for name, cell in row.items()} for row in response.json()["results"]["bindings"]]

    def count(self, graph: str) -> int:
        """Triples in ``graph``."""
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"])

    def graphs(self, prefix: str) -> dict[str, int]:
        """Every graph whose IRI starts with ``prefix``, with its triple count."""
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                           f'FILTER (STRSTARTS(STR(?g), "{prefix}")) }} GROUP BY ?g')
        return {row["g"]: int(row["n"]) for row in rows}


def start(folder: Path, timeout_s: float = 60.0) -> Virtuoso:
    """A new database in ``folder`` (created), on free ports, running."""
    folder.mkdir(parents=True, exist_ok=True)
    server = Virtuoso(folder.resolve(), free_port(), free_port())
    (folder / "virtuoso.ini").write_text(INI.format(folder=server.folder, sql_port=server.sql_port,
                                                    http_port=server.http_port), encoding="utf-8")
    return server.start(timeout_s)


class Tap:
    """A loopback TCP relay in front of a server that calls ``trip`` once ``threshold`` request bytes went
    through: a push can then be killed mid-way at a point that does not depend on timing."""

    def __init__(self, upstream_port: int, threshold: int, trip: Callable[[], None]) -> None:
        self.upstream_port, self.threshold, self.trip = upstream_port, threshold, trip
        self.sent = 0
        self.tripped = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port: int = self.listener.getsockname()[1]
        self.running = True
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, request: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
                if request:
                    self._count(len(data))
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def _count(self, nbytes: int) -> None:
        with self.lock:
            self.sent += nbytes
            fire = self.sent >= self.threshold and not self.tripped.is_set()
            if fire:
                self.tripped.set()
        if fire:
            self.trip()

    def close(self) -> None:
        self.running = False
        self.listener.close()
