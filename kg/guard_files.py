"""No file outside the inputs is read: an audit hook (PEP 578) confining ``open`` and directory listings.

User content can name files: a JSON-LD ``@context`` or ``@import`` of ``file:///etc/passwd``, a SPARQL
``FROM <file:...>``, a ``Graph.parse`` of a ``file:`` IRI. The parsers refuse the known ones (:mod:`kg.io`,
:mod:`kg.sparql_safety`); this is the backstop under all of them, as :mod:`kg.guard` is for the network.
Inside :func:`confined_reads`, each ``open`` event (any mode; ``open``, ``os.open``, ``io.open_code``) and
each ``os.listdir`` / ``os.scandir`` must fall under an allowed root, else :class:`FileRefusedError` is
raised before anything is opened. Allowed: the roots the stage names (the user's inputs, the output
folder), kg and its assets, the Python installation and site-packages, folders ``tempfile.mkdtemp`` made
during the stage, :data:`DEVICES`, and listing (only) a ``sys.path`` entry, as the import system does.
Paths are compared after ``os.path.realpath``. docs/security.md has the design and its limits.

The hook cannot be removed, so it consults the active confinements; they are process-wide (the SPARQL
deadline evaluates in threads of its own, which a context variable would not follow) and may overlap
across threads (one per server request): while any is active, every thread is confined to their union.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError

Root = Path | str | None
DEVICES = ("/dev/null", "/dev/urandom", "/dev/random", "/dev/tty")
WHY = "not read: outside the files kg may read (the inputs named, the output folder, kg and Python's own)"


class FileRefusedError(InputError):
    """An attempt to open or list a file outside the allowed roots; the CLI prints it and exits 2."""

    def __init__(self, path: str) -> None:
        super().__init__(path, None, WHY)


class _Confinement:
    def __init__(self, roots: tuple[str, ...], strict: bool) -> None:
        self.roots, self.strict = roots, strict
        self.refused: list[FileRefusedError] = []


_lock = threading.Lock()
_active: tuple[_Confinement, ...] = ()  # replaced whole under _lock; the hook reads it without locking
_allowed: tuple[str, ...] = ()  # realpaths, each ending in os.sep unless it is a file
_created: set[str] = set()  # folders tempfile.mkdtemp made during a confinement
_installed = False
_events = frozenset({"open", "os.listdir", "os.scandir", "tempfile.mkdtemp"})


def _real(path: object) -> str | None:
    """The resolved text of a path argument; None for a file descriptor (already opened, so allowed)."""
    if isinstance(path, int):
        return None
    text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path)
    return os.path.realpath(text or ".")


def _under(real: str, roots: tuple[str, ...]) -> bool:
    """Whether ``real`` is one of ``roots``: a file root (no trailing separator) matches only itself."""
    inside = real.rstrip(os.sep) + os.sep
    return any(real == root or (root.endswith(os.sep) and inside.startswith(root)) for root in roots)


def _folder(real: str) -> str:
    return real.rstrip(os.sep) + os.sep


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _active or event not in _events:
        return
    real = _real(args[0])
    if real is None:
        return
    if event == "tempfile.mkdtemp":  # raised just before the folder is made
        _remember_created(real)
    elif not _under(real, _allowed) and not (event != "open" and real in _import_folders()):
        error = FileRefusedError(real)
        for confinement in _active:
            confinement.refused.append(error)
        raise error


def _remember_created(real: str) -> None:
    global _allowed
    with _lock:
        _created.add(_folder(real))
        _allowed = _union(_active)


@functools.cache
def _base_roots() -> tuple[str, ...]:
    """kg, its assets, the Python installation and site-packages, the fixed devices."""
    import site

    from kg.assets import ASSET_ROOTS, asset

    folders = [sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix, *site.getsitepackages(),
               str(Path(__file__).parent), *(str(asset(r)) for r in ASSET_ROOTS)]
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    return tuple(_folder(os.path.realpath(f)) for f in folders) + DEVICES


def _import_folders() -> frozenset[str]:
    return frozenset(os.path.realpath(entry or ".") for entry in sys.path if isinstance(entry, str))


def _union(active: tuple[_Confinement, ...]) -> tuple[str, ...]:
    roots = {*_base_roots(), *_created}
    for confinement in active:
        roots.update(confinement.roots)
    return tuple(sorted(roots))


def _root(path: Root) -> str | None:
    if path is None or str(path) == "":
        return None
    real = os.path.realpath(os.fspath(path))
    return real if Path(real).is_file() else _folder(real)  # a folder, or one to be made (an output)


def install() -> None:
    """Install the hook (once per process); it does nothing outside :func:`confined_reads`."""
    global _installed
    if not _installed:
        import mimetypes
        import tempfile

        if not mimetypes.inited:  # lazy readers of system files, primed before any confinement:
            mimetypes.init()  # /etc/mime.types (a static file served)
        tempfile.gettempdir()  # probes the temporary folder by writing a file in it
        sys.addaudithook(_hook)
        _installed = True


def _set(active: tuple[_Confinement, ...]) -> None:
    """Swap the active confinements (hold :data:`_lock`); the hook never sees roots narrower than both."""
    global _active, _allowed
    wider = len(active) > len(_active)
    if wider:
        _allowed = _union(active)
    _active = active
    if not active:
        _created.clear()
    if not wider:
        _allowed = _union(active)


@contextlib.contextmanager
def confined_reads(*roots: Root, strict: bool = True) -> Iterator[None]:
    """Inside the block, no file outside ``roots`` (and the always-allowed ones) can be opened or listed.

    With ``strict``, a refusal that was caught and ignored inside the block is raised when it ends.
    """
    install()
    confinement = _Confinement(tuple(r for r in map(_root, roots) if r is not None), strict)
    with _lock:
        _set((*_active, confinement))
    try:
        yield
    except Exception:
        if confinement.strict and confinement.refused:
            raise confinement.refused[0] from None
        raise
    finally:
        with _lock:
            _set(tuple(c for c in _active if c is not confinement))
    if confinement.strict and confinement.refused:
        raise confinement.refused[0]


def confine_process() -> None:
    """Confine this process for the rest of its life (a forked query worker, which reads no file)."""
    install()
    with _lock:
        _set((*_active, _Confinement((), strict=False)))


def _new_lock() -> None:
    global _lock
    _lock = threading.Lock()  # a fork may happen while another thread holds it


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_lock)
