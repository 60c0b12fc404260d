"""Evaluate a checked query in a worker thread and stop it at a deadline (the runner behind
:func:`kg.sparql_safety.run_with_timeout`; see that module for the API and why this design).

The stop is an asynchronous exception (CPython's ``PyThreadState_SetAsyncExc``) raised in the worker by the
caller's thread, repeated every :data:`POLL_S` while the worker runs, because rdflib has a few bare
``except:`` clauses that may swallow one. The worker marks itself done under a lock that the injector also
holds (no stop is sent after that), then takes delivery of any stop still pending before it ends.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Variable
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kg.sparql_errors import QueryTimeoutError

GRACE_S = 2.0
POLL_S = 0.02


class Deadline(BaseException):  # BaseException: `except Exception` in rdflib lets it through
    """Raised inside the worker thread at the deadline; never escapes :func:`run_with_timeout`."""


@dataclass
class _Outcome:
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: bool = False
    result: Result | None = None
    error: Exception | None = None


class _Worker(threading.Thread):
    """Runs one evaluation; whatever happens, ends with ``outcome.done`` set and nothing pending."""

    def __init__(self, evaluate: Callable[[], Result]) -> None:
        super().__init__(name="kg-sparql-query", daemon=True)
        self.evaluate = evaluate
        self.outcome = _Outcome()

    def run(self) -> None:
        try:
            try:
                self.outcome.result = self.evaluate()
            except Deadline:
                pass
            except Exception as err:  # handed to the caller's thread, which re-raises it
                self.outcome.error = err
        except Deadline:  # a second stop arriving while the first was being handled
            pass
        finally:
            self._finish()

    def _finish(self) -> None:
        """Mark the run done, then let a stop sent just before that land here, inside the ``try``.

        A stop must be delivered, never cleared with ``PyThreadState_SetAsyncExc(id, NULL)`` nor left pending
        on a thread that ends: on CPython 3.11 either leaves the interpreter's "async exception" signal set,
        which slows every thread and hangs any thread that runs under ``sys.settrace`` (debuggers, coverage).
        """
        while True:
            try:
                with self.outcome.lock:
                    self.outcome.done = True
                _checkpoint()
                _checkpoint()
                return
            except Deadline:
                continue


def _checkpoint() -> None:
    """A Python call: the interpreter delivers a pending asynchronous exception on entering it."""


def run_with_timeout(graph: Graph, query: Query, bindings: Mapping[str, Node] | None = None,
                     timeout_s: float = 30.0) -> Result:
    """Evaluate ``query`` over ``graph`` with ``bindings`` (``initBindings``), rows computed, or raise
    :class:`~kg.sparql_errors.QueryTimeoutError` after ``timeout_s`` seconds."""
    if timeout_s <= 0:
        raise ValueError("timeout_s must be positive")
    _install_excepthook()
    initial = {Variable(name): value for name, value in (bindings or {}).items()}
    worker = _Worker(lambda: _evaluate(graph, query, initial))
    worker.start()
    try:
        worker.join(timeout_s)
    except BaseException:  # Ctrl-C while waiting: stop the worker too
        _stop(worker)
        raise
    if worker.is_alive() and not _stop(worker):
        raise QueryTimeoutError(timeout_s, stuck=True)
    outcome = worker.outcome
    if outcome.result is not None:
        return outcome.result
    if outcome.error is not None:
        raise outcome.error
    raise QueryTimeoutError(timeout_s)


def _evaluate(graph: Graph, query: Query, initial: Mapping[Variable, Node]) -> Result:
    """The result with its rows computed (rdflib yields SELECT rows lazily)."""
    result = graph.query(query, initBindings=initial)  # type: ignore[arg-type]
    if result.type == "SELECT":
        _ = result.bindings
    return result


def _stop(worker: _Worker) -> bool:
    """Raise :class:`Deadline` in ``worker`` until it ends; False if it is still running after GRACE_S."""
    give_up = time.monotonic() + GRACE_S
    while worker.is_alive() and time.monotonic() < give_up:
        with worker.outcome.lock:
            if not worker.outcome.done:
                _raise_in(worker.ident, Deadline)
        worker.join(POLL_S)
    return not worker.is_alive()


def _raise_in(thread_id: int | None, exception: type[BaseException]) -> None:
    """Make ``exception`` pending in thread ``thread_id``; it is raised there at the next function call or
    loop iteration."""
    if thread_id is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exception))


_HOOK_LOCK = threading.Lock()
_hook_installed = False


def _install_excepthook() -> None:
    """Keep a :class:`Deadline` that slips past the worker's handlers out of stderr (defence in depth)."""
    global _hook_installed
    with _HOOK_LOCK:
        if _hook_installed:
            return
        previous = threading.excepthook

        def hook(args: threading.ExceptHookArgs) -> None:
            if args.exc_type is not None and issubclass(args.exc_type, Deadline):
                return
            previous(args)

        threading.excepthook = hook
        _hook_installed = True
