"""Labels and quotes are data: quote marks, triple quotes, backslashes and ``> .`` survive every
serialisation, re-read identically by rdflib and by a second, strict parser (pyoxigraph)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from kg.cli import main
from kg.iris import ID
from tests.conftest import ARTICLE_TEXT, run_kg

HOSTILE = 'He said "hi" \\ and """ then > . @en <x> \'q\''


def _sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copyfile(ARTICLE_TEXT, folder / "case.txt")
    escaped = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    (folder / "case.yaml").write_text(
        "article:\n  id: case\n  label: {zh: 启动, en: launch}\n  quote: 随着8组共建单位签约\n"
        "entities:\n  - id: org/murata\n    type: PrivateEnterprise\n"
        f'    label: {{zh: 村田, en: "{escaped}"}}\n    quote: 会议在广东村田智能科技有限公司举行\n',
        encoding="utf-8",
    )
    return folder


def _oxigraph_triples(path: Path, fmt: pyoxigraph.RdfFormat) -> Graph:
    """Parse with pyoxigraph's strict parser, then hand the triples to rdflib as N-Triples.

    (Its parser, not its ``Store``: the store normalises derived integer types such as
    ``xsd:nonNegativeInteger`` to ``xsd:integer``, which would be a false difference.)
    """
    lines = [f"{triple} ." for triple in pyoxigraph.parse(path=str(path), format=fmt)]
    return Graph().parse(data="\n".join(lines) + "\n", format="nt")


@pytest.mark.parametrize(("name", "fmt"), [("graph.ttl", pyoxigraph.RdfFormat.TURTLE),
                                           ("graph.nt", pyoxigraph.RdfFormat.N_TRIPLES)])
def test_hostile_label_round_trips_in_rdflib_and_oxigraph(tmp_path: Path, name: str, fmt: pyoxigraph.RdfFormat) -> None:
    out = tmp_path / "out"
    assert main(["build", "--sources", str(_sources(tmp_path)), "--out", str(out)]) == 0
    ours = Graph().parse(out / name)
    assert Literal(HOSTILE, lang="en") in set(ours.objects(ID["org/murata"], RDFS.label))
    assert isomorphic(_oxigraph_triples(out / name, fmt), ours)


def test_bundled_exports_parse_in_oxigraph(tmp_path: Path) -> None:
    assert main(["build", "--out", str(tmp_path)]) == 0
    turtle = _oxigraph_triples(tmp_path / "graph.ttl", pyoxigraph.RdfFormat.TURTLE)
    assert isomorphic(turtle, Graph().parse(tmp_path / "graph.ttl"))
    assert isomorphic(_oxigraph_triples(tmp_path / "graph.nt", pyoxigraph.RdfFormat.N_TRIPLES), turtle)


def test_multiline_label_from_a_graph_file_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "in.ttl"
    label = '"""two\nlines "and" \\\\ > ."""@en'
    source.write_text(f"<http://e/a> <http://www.w3.org/2000/01/rdf-schema#label> {label} .\n", encoding="utf-8")
    target = tmp_path / "out.ttl"
    assert main(["export", "--graph", str(source), "--format", "ttl", "-o", str(target)]) == 0
    back = Graph().parse(target)
    assert Literal('two\nlines "and" \\ > .', lang="en") in set(back.objects())
    assert isomorphic(_oxigraph_triples(target, pyoxigraph.RdfFormat.TURTLE), back)


def test_rdfxml_is_refused_by_its_name_so_a_doctype_bomb_is_never_parsed(tmp_path: Path) -> None:
    """kg reads no RDF/XML: an entity-expansion bomb named ``.rdf`` is refused by its extension at once, and
    the same bytes named ``.ttl`` are a one-line Turtle error (no XML parser ever sees them)."""
    bomb = tmp_path / "bomb.rdf"
    entities = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 12))
    bomb.write_text(f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "boom">{entities}]><r>&l11;</r>\n',
                    encoding="utf-8")
    started = time.monotonic()
    result = run_kg("export", "--graph", str(bomb))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bomb}: unknown graph format '.rdf'")
    assert time.monotonic() - started < 10  # the process, interpreter start included; parsing never begins
    as_turtle = bomb.rename(tmp_path / "bomb.ttl")
    result = run_kg("export", "--graph", str(as_turtle))
    assert result.returncode == 2 and result.stderr.startswith(f"{as_turtle}:1: not valid turtle")
    assert len(result.stderr.strip().splitlines()) == 1
