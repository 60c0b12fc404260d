"""A plain (non-editable) wheel carries the ontology, queries, viz and data, and works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _wheel(tmp_path: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )
    (wheel,) = (tmp_path / "dist").glob("zqgj_kg-*.whl")
    return wheel


def test_wheel_installs_and_builds_outside_the_checkout(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    for asset in ("kg/_assets/ontology/zqgj.ttl", "kg/_assets/ontology/shapes.ttl",
                  "kg/_assets/data/articles/shunde-2020-07-15.yaml", "kg/_assets/data/articles/shunde-2020-07-15.txt"):
        assert asset in names, asset
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    work = tmp_path / "elsewhere"
    work.mkdir()
    program = "import kg, kg.cli; print(kg.__file__); raise SystemExit(kg.cli.main(['build', '--out', 'out']))"
    result = subprocess.run([sys.executable, "-c", program], cwd=work, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(site)}, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(str(site))
    assert (work / "out" / "graph.ttl").read_bytes() == _checkout_turtle(tmp_path)


def _checkout_turtle(tmp_path: Path) -> bytes:
    from kg.cli import main

    assert main(["build", "--out", str(tmp_path / "checkout-out")]) == 0
    return (tmp_path / "checkout-out" / "graph.ttl").read_bytes()
