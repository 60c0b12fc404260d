"""Where SPARQL queries run: forked worker processes that can be killed, or (without ``fork``) threads.

Why processes: :func:`kg.sparql_safety.run_with_timeout` stops a query by raising an exception between
Python bytecodes, but a ``REGEX`` with catastrophic backtracking (``"^(.+.+)+Z"`` over the article text)
spends minutes inside one call of the C regex engine *holding the GIL*: every thread of the process,
the event loop included, freezes (measured: the whole server stops answering). A worker process is
killed at the deadline instead, and a new one forked. Workers are forked once at startup, after the graph
is built and reasoned over (so no request ever runs owlrl), and inherit it copy-on-write; each answers
one query at a time over a socket pair. Measured on the bundled article: ~1 ms of overhead per query,
against ~30 ms for a fork per query.

A replacement is forked from the running server, which has threads; the child closes every inherited
descriptor but its socket at once (it must not hold the listening socket or a client's connection open)
and never touches the event loop; a store on disk is opened again by the worker itself, before it is
confined (:mod:`kg.serve_store_open`: RocksDB does not survive a fork). Without ``os.fork`` (Windows)
:class:`ThreadRunner` runs queries in threads with the in-process deadline only.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import threading
import warnings
from multiprocessing.connection import Connection
from typing import Protocol

from kg.guard import confine_process
from kg.serve_answer import Answer, Job, Queryable, answer, message
from kg.sparql_safety import GRACE_S

#: Extra seconds past a job's own deadline before its worker is killed (it normally stops itself first).
KILL_MARGIN_S = GRACE_S + 1.0


class Runner(Protocol):
    """Runs jobs, at most ``size`` at once (the caller bounds concurrency to ``size``)."""

    size: int

    def run(self, job: Job) -> Answer: ...

    def close(self) -> None: ...


class ThreadRunner:
    """In-process evaluation; a runaway stuck inside C code cannot be stopped (see module docstring)."""

    def __init__(self, graphs: Queryable, size: int) -> None:
        self.graphs, self.size = graphs, size

    def run(self, job: Job) -> Answer:
        return answer(job, self.graphs)

    def close(self) -> None:
        return None


class _Worker:
    def __init__(self, pid: int, conn: Connection) -> None:
        self.pid, self.conn = pid, conn


class ProcessPool:
    """``size`` forked workers; a worker past its deadline is killed and replaced."""

    def __init__(self, graphs: Queryable, size: int) -> None:
        self.graphs, self.size = graphs, size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._spawn())

    def run(self, job: Job) -> Answer:
        """Send ``job`` to an idle worker and wait for its answer, or kill the worker at the deadline."""
        worker: _Worker | None = self._idle.get()
        assert worker is not None
        try:
            worker.conn.send(job)
            if not worker.conn.poll(job.timeout_s + KILL_MARGIN_S):
                return message(503, f"timeout: the query ran longer than {job.timeout_s:g} s and its worker "
                               "was stopped; simplify it or ask for less", (("Retry-After", "1"),))
            result: Answer = worker.conn.recv()
            if not result.poisoned:
                self._idle.put(worker)
                worker = None
            return result
        except (EOFError, OSError) as err:
            return message(500, f"the query worker ended unexpectedly ({type(err).__name__}); try again")
        finally:
            if worker is not None:
                self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        self._end(worker)
        with self._lock:
            if self._closed:
                return
        self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        ours, theirs = socket.socketpair()
        with warnings.catch_warnings():  # Python >= 3.12 warns about fork() with threads running
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which leaves by os._exit
            code = 1
            try:
                _serve_jobs(theirs, ours, self.graphs)
                code = 0
            finally:
                os._exit(code)
        theirs.close()
        worker = _Worker(pid, Connection(ours.detach()))
        with self._lock:
            self._all.add(worker)
        return worker

    def _end(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.conn.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.pid, 0)

    def close(self) -> None:
        """Kill every worker (idle or busy) and reap it."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
        for worker in workers:
            self._end(worker)


def _serve_jobs(sock: socket.socket, parent_end: socket.socket, graphs: Queryable) -> None:
    """The worker's life: keep only its socket, then answer jobs until the server closes it."""
    parent_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's; it closes our socket
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    keep = sock.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, _max_fd())
    after_fork = getattr(graphs, "after_fork", None)  # a store on disk opens its own handle here
    if after_fork is not None:
        after_fork()
    confine_process()  # from now on the worker reads no file: kg.guard_files
    conn = Connection(sock.detach())
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(job, graphs))


def _max_fd() -> int:
    try:
        return min(os.sysconf("SC_OPEN_MAX"), 65536)
    except (ValueError, OSError):
        return 4096


def runner_for(graphs: Queryable, size: int, isolation: str = "process") -> Runner:
    """A :class:`ProcessPool` where ``fork`` exists and ``isolation`` is ``process``, else threads."""
    if isolation == "process" and hasattr(os, "fork"):
        return ProcessPool(graphs, size)
    return ThreadRunner(graphs, size)
