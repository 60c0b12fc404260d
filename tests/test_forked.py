"""kg.forked: the child's result, its exceptions and its end; and ``kg build`` split over two processes
writes exactly what one process writes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kg import commands
from kg.errors import InputError
from kg.forked import ChildFailedError, Forked


def test_the_result_comes_from_another_process() -> None:
    parent = os.getpid()
    assert Forked(os.getpid).result() != parent


def test_an_exception_of_the_work_is_raised_in_the_parent() -> None:
    def broken() -> None:
        raise InputError(Path("case.yaml"), 3, "no such entity")

    with pytest.raises(InputError, match=r"case.yaml:3: no such entity"):
        Forked(broken).result()


def test_an_unpicklable_exception_arrives_as_its_traceback() -> None:
    class LocalError(Exception):  # a local class cannot be pickled
        pass

    def broken() -> None:
        raise LocalError("deep inside")

    with pytest.raises(ChildFailedError, match="deep inside"):
        Forked(broken).result()


def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(ChildFailedError, match="without a result"):
        Forked(lambda: os._exit(3)).result()


def test_cancel_kills_a_running_child() -> None:
    started = time.monotonic()
    work = Forked(lambda: time.sleep(60))
    work.cancel()
    assert time.monotonic() - started < 10
    work.cancel()  # twice is harmless


def test_build_in_one_process_and_in_two_write_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    assert commands.run_build(None, tmp_path / "two") == 0
    monkeypatch.setattr(commands, "FORK_BELOW", 0)
    assert commands.run_build(None, tmp_path / "one") == 0
    names = sorted(p.name for p in (tmp_path / "one").iterdir() if not p.name.startswith("."))
    assert names == sorted([*commands.BUILD_FILES, "network.html"])
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_the_built_graphs_are_made_once_and_equal_the_unions() -> None:
    """kg build reads ``Built.asserted`` and ``Built.closed`` (each made once) where it used to make four
    unions; ``graph()`` still hands out fresh copies."""
    from kg.pipeline import union_of

    built = commands.built_from_sources(None)
    assert built.asserted is built.asserted and built.closed is built.closed
    assert set(built.asserted) == set(union_of(built.dataset, inferred=False))
    assert set(built.closed) == set(union_of(built.dataset, inferred=True))
    assert built.graph(inferred=False) is not built.asserted
    fresh = commands.Built(built.dataset, built.reasoning, built.origins)  # as tests that edit the dataset do
    assert set(fresh.closed) == set(built.closed)


def test_the_heap_is_frozen_inside_the_block_and_given_back_after_even_on_error() -> None:
    import gc

    from kg.gc_pause import heap_frozen

    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), heap_frozen():
        assert gc.get_freeze_count() > 0
        raise RuntimeError
    assert gc.get_freeze_count() == 0
