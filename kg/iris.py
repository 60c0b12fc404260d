"""Every namespace and IRI pattern of the project, spelled once.

Entity IRIs are readable, stable slugs under ``https://w3id.org/zqgj/id/`` (never counters or random
ids), so that two builds, or two machines, mint the same IRI for the same thing.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

ZQ = Namespace("https://w3id.org/zqgj/ontology#")
ID = Namespace("https://w3id.org/zqgj/id/")
GRAPH = Namespace("https://w3id.org/zqgj/graph/")
SHAPES = Namespace("https://w3id.org/zqgj/shapes#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
TIME = Namespace("http://www.w3.org/2006/time#")

ONTOLOGY_IRI = URIRef("https://w3id.org/zqgj/ontology")
ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]
#: The base a user's graph file is parsed against (its relative IRIs resolve under it, never to a local path).
INPUT_BASE = "https://w3id.org/zqgj/input/"
#: The W3C's namespaces all start so (RDF, RDFS, OWL, XSD...).
W3C = "http://www.w3.org/"

#: Entity kinds: the first path segment of a curated id such as ``org/murata``.
KINDS = (
    "org", "person", "post", "role", "pairing", "phase", "programme", "event", "document", "outcome",
    "award", "activity", "model", "place", "article", "evidence", "statement", "concept", "remark",
)

#: Prefixes bound in every serialisation (Turtle, TriG, JSON-LD context), in this order.
PREFIXES: dict[str, Namespace] = {
    "zq": ZQ,
    "zqsh": SHAPES,
    "org": ORG,
    "foaf": Namespace(str(FOAF)),
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "oa": OA,
    "schema": SCHEMA,
    "dcterms": Namespace(str(DCTERMS)),
    "vann": VANN,
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    **{kind: Namespace(f"{ID}{kind}/") for kind in KINDS},
}
PREFIXES["orgs"] = PREFIXES.pop("org")  # ``org:`` is W3C ORG; entity orgs use ``orgs:`` (as the contract)
PREFIXES["org"] = ORG
PREFIXES["ev"] = PREFIXES.pop("evidence")


def entity(curated_id: str) -> URIRef:
    """The IRI of a curated id ``kind/slug``."""
    return ID[curated_id]


def article_graph(article_id: str) -> URIRef:
    """The named graph holding one article's asserted facts."""
    return GRAPH[f"article/{article_id}"]


def evidence(key: str, start: int, end: int) -> URIRef:
    """The evidence node of the span ``[start, end)`` of the article whose evidence key is ``key``."""
    return ID[f"evidence/{key}-{start}-{end}"]


def selector(key: str, start: int, end: int) -> URIRef:
    """The Web Annotation selector of an evidence node (W3C Web Annotation Data Model §4.2)."""
    return ID[f"evidence/{key}-{start}-{end}-selector"]


def curie_of(iri: str) -> str:
    """The shortest ``prefix:local`` form of an IRI, or the IRI itself."""
    best = iri
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(iri) - len(str(ns)) + len(prefix) + 1 < len(best):
            best = f"{prefix}:{iri[len(str(ns)):]}"
    return best
