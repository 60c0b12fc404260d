"""kg.network: the projection of the RDF graph onto organisations and people (networkx)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from kg.iris import ORG, ZQ, entity
from kg.network import network_of
from kg.network_pinyin import pinyin_of

DATA = Path(__file__).parent / "data" / "viz"
MURATA = "https://w3id.org/zqgj/id/org/murata"
MURATA_BRANCH = "https://w3id.org/zqgj/id/org/murata-party-branch"
LIBRARY_BRANCH = "https://w3id.org/zqgj/id/org/shunde-library-party-branch"
CHEN_YUN = "https://w3id.org/zqgj/id/person/chen-yun"


@pytest.fixture(scope="module")
def mini() -> Graph:
    return Graph().parse(DATA / "mini.ttl")


def graphml(net: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(net))


def test_nodes_are_organisations_and_people_with_their_most_specific_class(mini: Graph) -> None:
    net = network_of(mini)
    assert net.number_of_nodes() == 10
    murata = net.nodes[MURATA]
    assert murata["label_zh"] == "广东村田智能科技有限公司"
    assert murata["label_en"] == "Guangdong Murata Intelligent Technology Co., Ltd."
    assert (murata["kind"], murata["group"]) == ("zq:PrivateEnterprise", "organisation")
    assert murata["aliases"] == "村田 | 村田智能公司 | 村田智能科技公司"
    assert "cuntian" in murata["pinyin"].split(" | ")
    assert "cun tian" in murata["pinyin"].split(" | ")
    assert net.nodes[MURATA_BRANCH]["group"] == "party"
    assert net.nodes[CHEN_YUN]["kind"] == "foaf:Person"
    assert not any(n.startswith("https://w3id.org/zqgj/id/pairing/") for n in net)


def test_attributes_are_scalars_so_graphml_and_gexf_can_hold_them(mini: Graph) -> None:
    net = network_of(mini)
    for _, attrs in net.nodes(data=True):
        assert all(isinstance(v, (str, int)) for v in attrs.values()), attrs
    for *_, attrs in net.edges(keys=True, data=True):
        assert all(isinstance(v, (str, int)) for v in attrs.values()), attrs
    assert "<graphml" in graphml(net)
    assert "<gexf" in "\n".join(nx.generate_gexf(net))


def test_pairing_edge_carries_phase_and_evidence(mini: Graph) -> None:
    net = network_of(mini)
    edges = net.get_edge_data(MURATA_BRANCH, LIBRARY_BRANCH)
    assert list(edges) == ["https://w3id.org/zqgj/id/pairing/p2-murata-library"]
    attrs = next(iter(edges.values()))
    assert attrs["relation"] == "pairing"
    assert (attrs["phase"], attrs["phase_number"]) == ("第二期", 2)
    assert attrs["quote"] == "村田智能公司党支部和顺德图书馆党支部"
    assert (attrs["start"], attrs["end"]) == (1521, 1539)
    assert attrs["pairing"] == "https://w3id.org/zqgj/id/pairing/p2-murata-library"


def test_hosting_goes_party_to_host_with_the_reified_statement_quote(mini: Graph) -> None:
    attrs = network_of(mini).get_edge_data(MURATA_BRANCH, MURATA)["hosting"]
    assert attrs["relation"] == "hosting"
    assert attrs["quote"] == "村田智能公司党支部"


def test_post_goes_person_to_organisation_with_role(mini: Graph) -> None:
    edges = network_of(mini).get_edge_data(CHEN_YUN, MURATA_BRANCH)
    (key, attrs), = edges.items()
    assert key == "https://w3id.org/zqgj/id/post/murata-party-branch-deputy-secretary"
    assert (attrs["relation"], attrs["role"], attrs["role_en"]) == ("post", "副书记", "deputy secretary")
    assert attrs["quote"] == "和顺德图书馆党支部结对的村田智能公司党支部副书记陈云"


def test_no_people_drops_people_and_posts(mini: Graph) -> None:
    net = network_of(mini, people=False)
    assert net.number_of_nodes() == 7
    assert {a["relation"] for *_, a in net.edges(data=True)} == {"pairing", "hosting"}


def test_output_is_deterministic(mini: Graph) -> None:
    shuffled = Graph()
    for triple in sorted(mini, key=lambda t: str(t[::-1])):
        shuffled.add(triple)
    assert graphml(network_of(mini)) == graphml(network_of(shuffled))


def test_entailments_do_not_change_the_network(mini: Graph) -> None:
    """Reasoning adds symmetric pairedWith, subOrganizationOf from hostedBy and superclasses: same picture."""
    inferred = Graph() + mini
    for pairing in mini.subjects(RDF.type, ZQ.Pairing):
        inferred.add((pairing, RDF.type, ORG.OrganizationalCollaboration))
        inferred.add((pairing, RDF.type, ORG.Organization))
    for party, host in mini.subject_objects(ZQ.hostedBy):
        inferred.add((party, ORG.subOrganizationOf, host))
        inferred.add((party, RDF.type, ZQ.PartyOrganization))
        inferred.add((host, RDF.type, ORG.FormalOrganization))
    for a, b in mini.subject_objects(ZQ.pairedWith):
        inferred.add((b, ZQ.pairedWith, a))
    assert len(inferred) > len(mini)
    assert graphml(network_of(inferred)) == graphml(network_of(mini))


def test_suborganization_is_drawn_unless_it_is_hosting() -> None:
    graph = Graph()
    unit, parent, top = entity("org/unit"), entity("org/parent"), entity("org/top")
    graph.add((unit, ORG.subOrganizationOf, parent))
    graph.add((unit, ZQ.hostedBy, parent))
    graph.add((parent, ORG.subOrganizationOf, top))
    net = network_of(graph)
    assert list(net.get_edge_data(str(unit), str(parent))) == ["hosting"]
    assert list(net.get_edge_data(str(parent), str(top))) == ["suborganization"]


def test_pinyin_has_no_tones_and_both_spellings() -> None:
    assert pinyin_of(["村田"]) == "cuntian | cun tian"
    assert pinyin_of(["Murata"]) == ""


def test_no_iri_is_spelled_in_the_modules() -> None:
    """IRIs come from kg/iris.py (and rdflib's namespaces) only: the house rule that IRIs are spelled in one
    module. Every string of kg's code but docstrings is looked at (a message may say "http://")."""
    root = Path(__file__).resolve().parent.parent / "kg"
    spelled = []
    for path in sorted(root.glob("*.py")):
        if path.name == "iris.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                      and node.body and isinstance(node.body[0], ast.Expr)}
        spelled += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and re.search(r"https?://[A-Za-z0-9]", node.value)]
    assert spelled == []


def test_article_graph(asserted: Graph) -> None:
    """The bundled article: 8 phase-2 and 3 phase-1 pairings; Murata and its party branch."""
    net = network_of(asserted)
    phases = sorted(a.get("phase_number") for *_, a in net.edges(data=True) if a["relation"] == "pairing")
    assert phases == [1] * 3 + [2] * 8
    assert net.nodes[MURATA]["label_zh"] == "广东村田智能科技有限公司"
    assert "cuntian" in net.nodes[MURATA]["pinyin"].split(" | ")
    assert net.has_edge(MURATA_BRANCH, MURATA, key="hosting")
    assert all(a["quote"] for *_, a in net.edges(data=True) if a["relation"] == "pairing")


def test_article_graph_same_with_inferences(built) -> None:  # type: ignore[no-untyped-def]
    assert graphml(network_of(built.graph(inferred=True))) == graphml(network_of(built.graph(inferred=False)))
