"""Atomic, locked builds: a killed or failing build leaves the previous output whole; builds take turns."""

from __future__ import annotations

import fcntl
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.cli import main
from tests.conftest import kg_command

OUTPUTS = ("graph.jsonld", "graph.nt", "graph.trig", "graph.ttl", "network.html")
MINI = Path(__file__).parent / "data" / "sources" / "mini"


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS if (folder / name).exists()}


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The outputs of a small build (the 'previous' output) and of the full article (the 'next' one)."""
    old, new = tmp_path_factory.mktemp("old"), tmp_path_factory.mktemp("new")
    assert main(["build", "--sources", str(MINI), "--out", str(old)]) == 0
    assert main(["build", "--out", str(new)]) == 0
    return _files(old), _files(new)


def _seed(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


#: ``kg build`` in a child that SIGKILLs itself at one point of ``kg.io.write_all_atomic``: at the start of
#: staging the Nth temporary file ("stage N"), or just before the Nth rename into place ("rename N").
_KILLED_BUILD = """
import os, signal, sys
import kg.io
from kg.cli import main

kind, number, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
calls = {"stage": 0, "rename": 0}
stage, rename = kg.io._staged_copy, kg.io.Path.replace

def count(what):
    calls[what] += 1
    if what == kind and calls[what] == number:
        os.kill(os.getpid(), signal.SIGKILL)

def staged_copy(*args):
    count("stage")
    return stage(*args)

def replaced(self, target):
    if self.name.endswith(kg.io.TEMP_SUFFIX):
        count("rename")
    return rename(self, target)

kg.io._staged_copy, kg.io.Path.replace = staged_copy, replaced
sys.exit(main(["build", "--out", out]))
"""


@pytest.mark.parametrize(("kind", "number"), [("stage", 1), ("stage", 3), ("rename", 1), ("rename", 3),
                                              ("rename", 5)])
def test_sigkill_while_writing_leaves_each_file_old_or_new(kind: str, number: int, tmp_path: Path,
                                                           old_and_new) -> None:  # type: ignore[no-untyped-def]
    """Killed while staging: every file is the old one; killed before the Nth rename: the first N - 1 files
    (in name order, as they are renamed) are new and the others old. Never a partial file."""
    old, new = old_and_new
    out = tmp_path / "out"
    _seed(out, old)
    killed = subprocess.run([sys.executable, "-c", _KILLED_BUILD, kind, str(number), str(out)],
                            capture_output=True, check=False, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr  # it died where it was meant to, not after
    renamed = number - 1 if kind == "rename" else 0
    assert _files(out) == {name: (new if i < renamed else old)[name] for i, name in enumerate(sorted(OUTPUTS))}
    assert main(["build", "--out", str(out)]) == 0
    assert _files(out) == new
    assert not [p for p in out.iterdir() if p.name.endswith(".kg-tmp")]


def test_a_failure_after_some_outputs_are_made_writes_nothing(
    tmp_path: Path, old_and_new, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    old, _ = old_and_new
    out = tmp_path / "out"
    _seed(out, old)

    def broken_page(*_: object, **__: object) -> str:
        raise RuntimeError("the page template broke")

    monkeypatch.setattr("kg.viz.network_page", broken_page)  # made in the forked half of the build
    with pytest.raises(RuntimeError):
        main(["build", "--out", str(out)])
    assert _files(out) == old
    assert sorted(p.name for p in out.iterdir()) == sorted(old)


def test_builds_into_one_folder_take_turns(tmp_path: Path, old_and_new) -> None:  # type: ignore[no-untyped-def]
    _, new = old_and_new
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".kg-build.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        waiting = [subprocess.Popen([kg_command(), "build", "--out", str(out)], stdout=subprocess.DEVNULL)
                   for _ in range(2)]
        time.sleep(8)
        assert all(p.poll() is None for p in waiting)  # both wait for the lock
        assert _files(out) == {}
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert [p.wait(timeout=120) for p in waiting] == [0, 0]
    assert _files(out) == new
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUTS, ".kg-build.lock"])


def test_stale_temporaries_of_a_killed_build_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".graph.ttl.abc123.kg-tmp").write_text("half a file", encoding="utf-8")
    assert main(["build", "--out", str(out)]) == 0
    assert not list(out.glob("*.kg-tmp")) and not list(out.glob(".*.kg-tmp"))
