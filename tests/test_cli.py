"""The command line, in-process through ``main([...])`` and as the installed ``kg``."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main
from tests.conftest import run_kg


def test_build_writes_every_output_and_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")}
    assert {"graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "network.html"} <= names
    out = capsys.readouterr().out
    assert "pairings by phase: 第一期 3, 第二期 8" in out
    assert "fact triples carry a verified quote (100.0%)" in out
    assert not list(tmp_path.glob("*.tmp"))


def test_export_to_stdout_and_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "nt"]) == 0
    stdout = capsys.readouterr().out
    target = tmp_path / "g.nt"
    assert main(["export", "--format", "nt", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == stdout


@pytest.mark.parametrize("suffix", ["ttl", "nt", "jsonld", "trig"])
def test_commands_read_any_graph_file(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / f"input.{suffix}"
    assert main(["export", "--format", suffix, "-o", str(source)]) == 0
    assert main(["export", "--graph", str(source), "--format", "ttl", "-o", str(tmp_path / "back.ttl")]) == 0
    assert main(["export", "--format", "ttl", "-o", str(tmp_path / "direct.ttl")]) == 0
    assert isomorphic(Graph().parse(tmp_path / "back.ttl"), Graph().parse(tmp_path / "direct.ttl"))


def test_inferred_export_adds_entailments(capsys: pytest.CaptureFixture[str]) -> None:
    main(["export", "--format", "nt"])
    plain = capsys.readouterr().out
    main(["export", "--format", "nt", "--inferred"])
    inferred = capsys.readouterr().out
    assert len(inferred.splitlines()) > len(plain.splitlines())


def test_validate_conforms(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.strip() == "conforms"


def test_installed_kg_builds_from_another_folder(tmp_path: Path) -> None:
    result = run_kg("build", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "graph.ttl").stat().st_size > 10_000


def test_installed_kg_rejects_a_broken_graph_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', encoding="utf-8")
    result = run_kg("export", "--graph", str(broken))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{broken}:3: not valid turtle")
    assert "Traceback" not in result.stderr


def test_installed_kg_refuses_remote_jsonld_context(tmp_path: Path) -> None:
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://e/a"}', encoding="utf-8")
    result = run_kg("export", "--graph", str(remote))
    assert result.returncode == 2
    assert "remote JSON-LD @context is not allowed" in result.stderr


def test_viz_writes_a_focused_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "murata.html"
    assert main(["viz", "-o", str(page), "--focus", "村田", "--phase", "2", "--no-people"]) == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "村田智能公司党支部" in text
    assert "id/org/murata-party-branch" in text
    assert "id/person/chen-yun" not in text  # --no-people


def test_installed_kg_viz_rejects_an_unknown_focus(tmp_path: Path) -> None:
    result = run_kg("viz", "-o", str(tmp_path / "x.html"), "--focus", "不存在的单位")
    assert result.returncode == 2
    assert result.stderr.startswith("kg viz: --focus '不存在的单位' names no organisation")
    assert not (tmp_path / "x.html").exists()


def test_both_reasoners_give_byte_identical_outputs(tmp_path: Path) -> None:
    """The rules closure (default) and owlrl (the reference) entail the same; every output file agrees."""
    assert main(["build", "--out", str(tmp_path / "rules")]) == 0
    assert main(["build", "--reasoner", "owlrl", "--out", str(tmp_path / "owlrl")]) == 0
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "network.html"):
        assert (tmp_path / "rules" / name).read_bytes() == (tmp_path / "owlrl" / name).read_bytes(), name


@pytest.mark.parametrize(("args", "says"), [
    (["build", "--out", "{file}"], "{file}: --out is a file, not a folder"),
    (["build", "--out", "{long}"], "{long}: File name too long"),
    (["export", "-o", "{folder}"], "{folder}: is a folder: the output cannot replace it"),
    (["validate", "--graph", "{empty}"], "{empty}: the file is empty"),
    (["validate", "--graph", "{empty}", "--sources", "{folder}"], "kg: give --graph FILE or --sources DIR, not both"),
    (["viz", "--phase", "0"], "kg viz: error: argument --phase: invalid choice: 0 (choose from 1, 2) (see kg viz"),
    (["query", "--timeout", "0", "people"], "kg query: error: argument --timeout: '0' must be a positive number"),
    (["query", "{folder}"], "{folder}: a folder, not a query file (.rq)"),
    (["query", "people", "--store", "oxigraph:{file}"], "{file}: not an Oxigraph store"),
    (["serve", "--host", "999.1.1.1"], "kg serve: --host '999.1.1.1': give an IP address or localhost"),
    (["push", "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "inf"],
     "kg push: error: argument --timeout: 'inf' must be a positive number of seconds"),
])
def test_a_file_system_or_argument_mistake_is_one_line_exit_2(args: list[str], says: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Found by a sweep of user mistakes: these were tracebacks (OSError) or argparse's usage block."""
    places = {"file": tmp_path / "plain.file", "folder": tmp_path / "folder", "empty": tmp_path / "empty.ttl",
              "long": tmp_path / ("d" * 300)}
    places["file"].write_text("x", encoding="utf-8")
    places["folder"].mkdir()
    places["empty"].write_text("\n", encoding="utf-8")
    assert exit_code([a.format(**places) for a in args]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and says.format(**places) in err, err


def exit_code(args: list[str]) -> int | str | None:
    """What ``main`` returns, or the code argparse exits with."""
    try:
        return main(args)
    except SystemExit as done:
        return done.code


def test_a_build_whose_output_place_is_a_folder_writes_nothing(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    (out / "network.html").mkdir(parents=True)
    (out / "graph.ttl").write_text("old", encoding="utf-8")
    assert main(["build", "--out", str(out)]) == 2
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "old"  # nothing renamed before the refusal
    assert capsys.readouterr().err.strip() == f"{out / 'network.html'}: is a folder: the output cannot replace it"


def test_serve_on_a_busy_port_is_one_line_before_anything_is_built(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err == f"kg serve: cannot listen on 127.0.0.1:{port}: Address already in use\n"  # not "building ..."
