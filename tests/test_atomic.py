"""Atomic, locked builds: a killed or failing build leaves the previous output whole; builds take turns."""

from __future__ import annotations

import fcntl
import signal
import subprocess
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


@pytest.mark.parametrize("delay", [0.5, 3.0, 5.0])
def test_sigkill_leaves_each_file_old_or_new(delay: float, tmp_path: Path, old_and_new) -> None:  # type: ignore[no-untyped-def]
    old, new = old_and_new
    out = tmp_path / "out"
    _seed(out, old)
    process = subprocess.Popen([kg_command(), "build", "--out", str(out)], stdout=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    for name, data in _files(out).items():
        assert data in (old[name], new[name]), name
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
