"""``kg serve`` under load, on loopback only: 200 requests sent at once all get the right answer, and the
server runs queries in threads when asked (``isolation="thread"``).

Bounded: exactly 200 requests to 127.0.0.1, one gather, a 120 s ceiling.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from test_serve_helpers import serving

from kg import iris
from kg.commands import Built
from kg.serve import create_app

REQUESTS = 200
QUERY = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE {{ <{iri}> rdfs:label ?label }}"


@pytest.fixture(scope="module")
def base(built: Built) -> Iterator[str]:
    with serving(create_app(built, timeout_s=10.0, workers=2)) as url:
        yield url


def expected_labels(built: Built) -> dict[URIRef, set[str]]:
    graph = built.graph(inferred=True)
    organisations = sorted({s for s in graph.subjects(RDF.type, iris.ORG.Organization) if isinstance(s, URIRef)})
    return {s: {str(o) for o in graph.objects(s, RDFS.label) if isinstance(o, Literal)} for s in organisations}


async def _one(client: httpx.AsyncClient, number: int, iri: URIRef) -> set[str]:
    query = QUERY.format(iri=iri)
    if number % 2:
        response = await client.post("/sparql", data={"query": query})
    else:
        response = await client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return {row["label"]["value"] for row in response.json()["results"]["bindings"]}


async def _all(base: str, work: list[URIRef]) -> list[set[str]]:
    limits = httpx.Limits(max_connections=REQUESTS, max_keepalive_connections=REQUESTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        return await asyncio.gather(*(_one(client, n, iri) for n, iri in enumerate(work)))


def test_200_concurrent_requests_all_answer_correctly(base: str, built: Built) -> None:
    labels = expected_labels(built)
    organisations = list(labels)
    work = [organisations[n % len(organisations)] for n in range(REQUESTS)]
    started = time.monotonic()
    answers = asyncio.run(asyncio.wait_for(_all(base, work), timeout=120))
    took = time.monotonic() - started
    assert [answer == labels[iri] for answer, iri in zip(answers, work, strict=True)] == [True] * REQUESTS
    print(f"{REQUESTS} concurrent requests answered in {took:.2f} s")
    assert took < 60


def test_thread_isolation_answers_and_times_out(built: Built) -> None:
    """Where ``fork`` is missing queries run in threads; the in-process deadline still frees the worker."""
    app = create_app(built, timeout_s=1.0, workers=2, isolation="thread")
    with serving(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        slow = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }"})
        assert slow.status_code == 503
        murata = iris.entity("org/murata")
        fast = client.get("/sparql", params={"query": QUERY.format(iri=murata)})
        assert fast.status_code == 200
        assert {row["label"]["value"] for row in fast.json()["results"]["bindings"]} == expected_labels(
            built)[murata]


def test_the_load_benchmark_checks_every_answer_of_its_mix() -> None:
    """The benchmark behind the README's load figures (``python -m benchmarks.load``), run small: it starts
    the installed ``kg serve``, sends each query of its mix from 16 clients, and every answer must equal
    local evaluation. A wrong row or a refused request would show as ``errors_or_wrong``."""
    from benchmarks.load import MIX, run

    report = run(requests=3 * len(MIX), clients=16)
    assert report["correct"] == 3 * len(MIX) and report["errors_or_wrong"] == 0, report
    assert isinstance(report["rss_after_mib"], float) and report["rss_after_mib"] > 0
