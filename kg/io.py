"""The only module that reads a user's graph file or writes output files.

Writes are atomic: each file goes to a temporary file in the target folder, is fsynced, then
``os.replace``d, so a reader (or a crash) never sees half a file. A whole build holds a lock so two builds
into one folder take turns.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Dataset
from rdflib.exceptions import ParserError

from kg import iris
from kg.errors import InputError
from kg.textfiles import read_text

TEMP_SUFFIX = ".kg-tmp"

#: Largest graph file read (checked before parsing).
MAX_GRAPH_BYTES = 200 * 1024 * 1024
GRAPH_SUFFIXES = {
    ".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".json": "json-ld",
}


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` all at once (temp file + fsync + rename)."""
    write_all_atomic(path.parent, {path.name: content})


#: Every file a build writes, of either kind (in memory: not graph.nq; bulk: some of the graph files).
BUILD_OUTPUTS = ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "graph.nq", "network.html")


def remove_other_outputs(folder: Path, written: Iterable[str]) -> None:
    """Remove the outputs of an earlier build of the other kind that this one did not write, so that the
    folder never mixes two builds (``auto`` switches kind with the corpus's size). Under the build lock."""
    for name in set(BUILD_OUTPUTS) - set(written):
        (folder / name).unlink(missing_ok=True)


def writable_folder(folder: Path) -> None:
    """Refuse an output folder that is a file, in one line (before a build spends minutes on it)."""
    if folder.exists() and not folder.is_dir():
        raise InputError(folder, None, "--out is a file, not a folder")


def write_all_atomic(folder: Path, files: dict[str, str | bytes]) -> None:
    """Write several files so that a crash leaves each one old or new, never partial.

    Every file is first written and fsynced as a temporary file beside its target; only when all are on disk
    are they renamed into place (``os.replace`` is atomic on POSIX), so a kill mid-build leaves the previous
    output whole. Temporary files a killed build left behind are removed by the next one.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if taken := sorted(name for name in files if (folder / name).is_dir()):  # checked before anything is renamed
        raise InputError(folder / taken[0], None, "is a folder: the output cannot replace it")
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in sorted(files.items()):
            staged.append((_staged_copy(folder, name, content), folder / name))
        for temp, target in staged:
            temp.replace(target)
        _fsync_folder(folder)
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)


def _staged_copy(folder: Path, name: str, content: str | bytes) -> Path:
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=folder)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    Path(temp).chmod(0o666 & ~_umask())
    return Path(temp)


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable (POSIX: a directory's entries are synced through the directory)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files a killed build left in ``folder`` (call while holding :func:`build_lock`)."""
    for stale in folder.glob(f".*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


def _umask() -> int:
    """The process umask (read by setting and restoring it: POSIX offers no other way)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` for the duration of a build (other builds wait)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".kg-build.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_graph(path: Path) -> Dataset:
    """Parse a user's graph (Turtle, TriG, N-Triples, N-Quads or JSON-LD, by suffix) into a dataset."""
    fmt = GRAPH_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(GRAPH_SUFFIXES))
        raise InputError(path, None, f"unknown graph format {path.suffix!r}; expected one of {known}")
    text = read_text(path, MAX_GRAPH_BYTES)
    if not text.strip():
        raise InputError(path, None, "the file is empty")
    if fmt == "json-ld":
        _refuse_remote_contexts(path, text)
    dataset = Dataset()
    try:
        dataset.parse(data=text, format=fmt, publicID=iris.INPUT_BASE)
    except (SyntaxError, ParserError, ValueError) as err:
        line = _line_of(err) or (_first_bad_line(text, fmt) if fmt in ("nt", "nquads") else None)
        raise InputError(path, line, f"not valid {fmt}: {_reason(err)}") from None
    return dataset


def _refuse_remote_contexts(path: Path, text: str) -> None:
    """JSON-LD processors fetch string ``@context`` values and the ``@import`` of an inline context (JSON-LD
    1.1, section 4.1.10; rdflib follows both, and reads ``file:`` IRIs too); we never fetch, so refuse both up
    front, whoever calls (the CLI's guards are not there when kg is used as a library)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(path, err.lineno, f"not valid JSON: {err.msg}", err.colno) from None
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "@import":
                    problem = "JSON-LD @import is not allowed (nothing is fetched or read); inline the context"
                    where = text.find('"@import"')  # the key as written (None if spelled with escapes)
                    raise InputError(path, text[:where].count("\n") + 1 if where >= 0 else None, problem)
                contexts = value if isinstance(value, list) else [value]
                if key == "@context" and any(isinstance(c, str) for c in contexts):
                    problem = "remote JSON-LD @context is not allowed (nothing is fetched); inline it"
                    raise InputError(path, None, problem)
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def _line_of(err: Exception) -> int | None:
    found = re.search(r"at line (\d+)", str(err))
    return int(found.group(1)) if found else None


def _first_bad_line(text: str, fmt: str) -> int | None:
    """N-Triples/N-Quads are line-based: find the first line that does not parse on its own."""
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            Dataset().parse(data=line + "\n", format=fmt)
        except (SyntaxError, ParserError, ValueError):
            return number
    return None


def _reason(err: Exception) -> str:
    lines = [line.strip() for line in str(err).strip().splitlines() if line.strip()]
    useful = [line for line in lines if not re.match(r"at line \d+ of", line)]
    return (useful or lines or [type(err).__name__])[0][:200]
