"""A bulk build's store is built beside the one it replaces and put in its place only when it is whole.

Why: the bulk build used to empty the store at ``--store oxigraph:PATH`` before reading the first article, so
a bad article, an OWL clash or a kill destroyed the previous good store (hours of work at 10,000 articles).
Now the new store grows in a hidden sibling folder (same file system, so the renames are atomic); when the
build has succeeded and its RocksDB is closed, the old folder is renamed aside, the new one into place, and
the old one removed. A failed build removes its sibling; a killed one leaves it, and the next build removes
it. A lock file in the store's folder lets one build at a time at a given ``PATH``; ``kg serve`` and ``kg query``
hold it shared while they read the store, exclusive while they load it (:func:`hold`), so a build does not
replace a store that is being read, and a store that is being built or loaded is not read.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kg.errors import InputError

#: Each store's lock file this process holds, and how (``fcntl.LOCK_SH`` or ``LOCK_EX``), kept until it exits:
#: flock is per open file, so one process takes each lock once and converts it rather than lock it twice.
_HELD: dict[Path, tuple[IO[str], int]] = {}
LOCK_FILE = "kg.lock"
_BUSY = {fcntl.LOCK_EX: "another kg is building, serving or querying this store; try again once it is done",
         fcntl.LOCK_SH: "a kg build or load is replacing this store; use it once that is done"}


def hold(target: Path, *, exclusive: bool) -> None:
    """Hold ``target``'s lock for the rest of this process: shared to read it (readers together), exclusive
    to load it (no reader meanwhile). Refused in one line if another process holds it the other way."""
    key = target.resolve()
    if key not in _HELD:
        try:
            _HELD[key] = (_open_lock(target), 0)
        except OSError:  # a folder this process cannot write to: read it unlocked (a load would fail anyway)
            if exclusive:
                raise
            return
    lock, mode = _HELD[key]
    want = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    if mode in (want, fcntl.LOCK_EX):
        return
    _flock(lock, want, target)
    _HELD[key] = (lock, want)


@contextlib.contextmanager
def exclusive_build(target: Path) -> Iterator[None]:
    """``target``'s lock, exclusive while a build replaces the store (then released, unless this process
    held it already: then it stays, exclusive)."""
    if target.resolve() in _HELD:
        hold(target, exclusive=True)
        yield
        return
    with _open_lock(target) as lock:
        _flock(lock, fcntl.LOCK_EX, target)
        yield


def _sibling(target: Path, what: str) -> Path:
    return target.parent / f".{target.name}.kg-{what}"


def _open_lock(target: Path) -> IO[str]:
    """``target/kg.lock``, inside the store folder (what ``kg query --store`` may read; a file beside it would
    be outside): the folder a build replaces takes its lock with it, and the build is done by then."""
    target.mkdir(parents=True, exist_ok=True)
    return (target / LOCK_FILE).open("a", encoding="utf-8")


def _flock(lock: IO[str], mode: int, target: Path) -> None:
    try:
        fcntl.flock(lock, mode | fcntl.LOCK_NB)
    except OSError:
        raise InputError(target, None, _BUSY[mode]) from None


def building_folder(target: Path) -> Path:
    """The empty folder the new store is built in; a killed build's leftovers are removed first."""
    work = _sibling(target, "building")
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(_sibling(target, "old"), ignore_errors=True)
    return work


def replace_store(work: Path, target: Path) -> None:
    """Put the finished store in ``work`` at ``target`` (its RocksDB must be closed)."""
    old = _sibling(target, "old")
    if target.exists():
        target.rename(old)
    work.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def discard(work: Path) -> None:
    """Remove a failed build's folder (what cannot be removed now, the next build removes)."""
    shutil.rmtree(work, ignore_errors=True)
