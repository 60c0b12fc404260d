"""Helpers of the ``kg serve`` tests (no tests here): a real uvicorn server on a free loopback port, a
loopback "trap" that records any connection the server would open, and a graph with hostile labels.

Every server and trap binds 127.0.0.1 with port 0 (the kernel picks a free port); nothing here sends
traffic anywhere else.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDFS, SKOS

from kg import iris
from kg.commands import Built

HOSTILE = '<script>alert("x")</script>'


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run ``app`` under uvicorn in a thread on 127.0.0.1:<free port>; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                           timeout_graceful_shutdown=5))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


class _Trap(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self._record()

    def do_POST(self) -> None:
        self._record()

    def _record(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return None


@contextlib.contextmanager
def trap() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request: the IRI a refused query names."""
    hits: list[str] = []
    handler = type("Trap", (_Trap,), {"hits": hits})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def hostile_built(built: Built) -> Built:
    """A copy of ``built`` where an organisation's label and alias, a class label and a quote are markup."""
    dataset = Dataset()
    for graph in built.dataset.graphs():
        copy = dataset.graph(graph.identifier)
        for triple in graph:
            copy.add(triple)
    murata = iris.entity("org/murata")
    article = next(g for g in dataset.graphs() if str(g.identifier).startswith(str(iris.GRAPH) + "article/"))
    article.remove((murata, RDFS.label, next(o for o in article.objects(murata, RDFS.label)
                                              if isinstance(o, Literal) and o.language == "zh")))
    article.add((murata, RDFS.label, Literal(HOSTILE, lang="zh")))
    article.add((murata, SKOS.altLabel, Literal(HOSTILE + "别称", lang="zh")))
    dataset.graph(iris.ONTOLOGY_GRAPH).add((iris.ZQ.PrivateEnterprise, RDFS.label, Literal(HOSTILE, lang="en")))
    evidence = next(article.objects(murata, PROV.wasDerivedFrom))
    selector = article.value(evidence, iris.OA.hasSelector)
    assert isinstance(selector, URIRef)
    article.set((selector, iris.OA.prefix, Literal(HOSTILE)))
    return Built(dataset, built.reasoning, built.origins)
