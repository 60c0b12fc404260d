"""kg.store_swap: a bulk build never destroys the store it replaces, and a store is never replaced while read.

Found by a review of the bulk build's failure paths: a failed build used to empty the store before reading the
first article, ``kg query --store oxigraph:PATH`` without ``--sources`` silently reloaded a bulk store with the
bundled article, and a build rewrote a store ``kg serve`` was serving.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import generate
from kg.cli import main


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Three generated articles, and the same with a quote that is not in its article's text."""
    good = tmp_path_factory.mktemp("good")
    generate(3, good, seed=3)
    bad = tmp_path_factory.mktemp("bad")
    for path in good.iterdir():
        shutil.copy(path, bad / path.name)
    broken = sorted(bad.glob("*.yaml"))[-1]
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("quote: ", "quote: 不在原文里的一句", 1), encoding="utf-8")
    return good, bad


def bulk_built(sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """``kg build --store oxigraph:tmp_path/store`` of ``sources``, succeeded; the store's folder."""
    store = tmp_path / "store"
    assert main(["build", "--sources", str(sources), "--out", str(tmp_path / "out"),
                 "--store", f"oxigraph:{store}"]) == 0
    capsys.readouterr()
    return store


def query_csv(store: Path, sources: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["query", "pairings-per-phase", "--sources", str(sources), "--store", f"oxigraph:{store}",
                 "--format", "csv"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_failed_build_leaves_the_previous_store_whole(corpora: tuple[Path, Path], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = corpora
    store = bulk_built(good, tmp_path, capsys)
    assert main(["build", "--sources", str(bad), "--out", str(tmp_path / "out2"), "--store", f"oxigraph:{store}"]) == 2
    assert "quote" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "store"]  # no building folder left beside it
    code, out, err = query_csv(store, good, capsys)
    assert code == 0 and "reused: same build as last time" in err and out.count("\n") > 1


def test_a_query_without_the_stores_sources_refuses_instead_of_reloading(
        corpora: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, _bad = corpora
    store = bulk_built(good, tmp_path, capsys)
    state = (store / "kg-store.json").read_bytes()
    assert main(["query", "people", "--store", f"oxigraph:{store}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"{store}: holds the store of the articles in {good.resolve()}; name that input to use it, "
                   "or give another folder to load the bundled article")
    assert (store / "kg-store.json").read_bytes() == state


def test_a_store_being_read_is_not_replaced(corpora: tuple[Path, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Another process holds the store's lock shared, as ``kg serve --store`` does: the build is refused."""
    good, _bad = corpora
    store = bulk_built(good, tmp_path, capsys)
    reader = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from kg.store_swap import hold; "
         f"hold(Path({str(store)!r}), exclusive=False); print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "held"
        assert main(["build", "--sources", str(good), "--out", str(tmp_path / "out"),
                     "--store", f"oxigraph:{store}"]) == 2
        assert capsys.readouterr().err.strip() == (f"{store}: another kg is building, serving or querying this "
                                                   "store; try again once it is done")
    finally:
        reader.communicate("", timeout=30)
    assert bulk_built(good, tmp_path, capsys) == store
