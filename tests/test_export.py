"""Export stage: deterministic bytes, faithful round trips, network formats that Gephi tools read."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg import iris
from kg.export import serialise, to_network
from kg.network import network_of
from tests.conftest import run_kg
from tests.golden_files import check_golden

RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


def test_turtle_matches_golden(built, update_golden: bool) -> None:  # type: ignore[no-untyped-def]
    text = serialise(built.dataset, "ttl", union=built.graph(inferred=False))
    check_golden("graph.ttl", text, update_golden, rdf_format="turtle")


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_round_trip_is_isomorphic(built, fmt: str) -> None:  # type: ignore[no-untyped-def]
    asserted = built.graph(inferred=False)
    text = serialise(built.dataset, fmt, union=asserted)
    assert isomorphic(Graph().parse(data=text, format=RDF_FORMATS[fmt]), asserted)


def test_trig_keeps_every_named_graph(built) -> None:  # type: ignore[no-untyped-def]
    text = serialise(built.dataset, "trig", union=built.graph(inferred=True))
    back = Dataset()
    back.parse(data=text, format="trig")
    names = {g.identifier for g in back.graphs() if len(g)}
    assert {iris.ONTOLOGY_GRAPH, iris.INFERRED_GRAPH, iris.article_graph("shunde-2020-07-15")} <= names
    for name in names:
        assert isomorphic(back.graph(name), built.dataset.graph(name)), name


def test_same_bytes_twice_in_process(built) -> None:  # type: ignore[no-untyped-def]
    from kg.commands import built_from_sources

    again = built_from_sources(None)
    for fmt in ("ttl", "nt", "jsonld", "trig"):
        first = serialise(built.dataset, fmt, union=built.graph(inferred=False))
        assert first == serialise(again.dataset, fmt, union=again.graph(inferred=False)), fmt


def test_same_bytes_under_different_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / seed
        result = run_kg("build", "--out", str(out), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.glob("*")) if not p.name.startswith(".")})
    assert outputs[0].keys() >= {"graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "network.html"}
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_formats_load_in_networkx(built, fmt: str) -> None:  # type: ignore[no-untyped-def]
    network = network_of(built.graph(inferred=False))
    text = to_network(network, fmt)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    loaded = reader(io.BytesIO(text.encode("utf-8")))
    assert loaded.number_of_nodes() == network.number_of_nodes() > 40
    assert loaded.number_of_edges() == network.number_of_edges()
    relations = {data.get("relation") for _, _, data in loaded.edges(data=True)}
    assert {"pairing", "hosting", "post"} <= relations
    murata = "https://w3id.org/zqgj/id/org/murata"
    assert loaded.nodes[murata]["label_zh"] == "广东村田智能科技有限公司"
