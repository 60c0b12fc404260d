"""One piece of work run in a forked child process while the parent does another: two halves on two cores.

``kg build`` of one article spends most of its wall time in work that does not depend on itself: the SHACL
validation and three serialisations on one side, the network page (networkx and pypinyin's dictionaries to
import) and TriG on the other. A forked child starts with the built graph
already in its memory (copy-on-write, nothing pickled on the way in), does its half, and sends back only its
result (text) through a pipe.

The child never touches a file: the parent writes every output itself, atomically, once both halves are done
and the graph conforms; if the parent stops first (a failed validation, an exception, a signal), the child
is killed and leaves nothing behind. Without ``os.fork`` (Windows) the work simply runs in the caller.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ChildFailedError(RuntimeError):
    """The forked work raised an exception that could not be sent back as itself; this carries its traceback."""


class Forked(Generic[T]):
    """``work()`` running in a forked child; :meth:`result` waits for it, :meth:`cancel` kills it."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._pid: int | None = None
        self._read = -1
        if not hasattr(os, "fork"):
            self._outcome: tuple[bool, object] = _outcome_of(work)
            return
        sys.stdout.flush()  # nothing buffered before the fork may be written twice
        sys.stderr.flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send it back, and leave without running any exit handler
            os.close(read)
            _send(write, _outcome_of(work))
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """The work's return value; an exception the work raised is raised here."""
        if self._pid is not None:
            with os.fdopen(self._read, "rb") as pipe:
                payload = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            if not payload:
                raise ChildFailedError(f"the forked child ended without a result (wait status {status})")
            self._outcome = pickle.loads(payload)  # noqa: S301 - our own child's bytes, through a private pipe
        ok, value = self._outcome
        if ok:
            return value  # type: ignore[return-value]
        raise value if isinstance(value, BaseException) else ChildFailedError(str(value))

    def cancel(self) -> None:
        """Kill the child if it still runs; its result is dropped."""
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        os.close(self._read)
        self._pid = None


def _outcome_of(work: Callable[[], T]) -> tuple[bool, object]:
    try:
        return True, work()
    except Exception as err:  # sent to the parent, which raises it there
        return False, err if _picklable(err) else traceback.format_exc()


def _picklable(err: Exception) -> bool:
    try:
        pickle.loads(pickle.dumps(err))  # noqa: S301 - round trip of our own object
    except Exception:
        return False
    return True


def _send(write: int, outcome: tuple[bool, object]) -> None:
    """Write the outcome to the pipe and end the child at once (``os._exit``: no atexit, no buffers flushed
    twice, no temporary files of the parent's removed by a ``finally`` in the child)."""
    code = 0
    try:
        try:
            payload = pickle.dumps(outcome)
        except Exception:
            payload = pickle.dumps((False, traceback.format_exc()))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    except BaseException:
        code = 1
    os._exit(code)
