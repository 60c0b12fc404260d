"""No outbound traffic, proven: a loopback listener records every connection; with the guard active, every
path rdflib has to the network (URL parse, SERVICE, remote JSON-LD context, urllib, raw sockets) is refused
before a byte leaves, so the listener records zero hits."""

from __future__ import annotations

import socket
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.guard import OutboundRefusedError, no_outbound_traffic
from tests.conftest import run_kg


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections (bounded: it stops when closed)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.hits = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.hits += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def _attempts(port: int) -> dict[str, object]:
    base = f"http://127.0.0.1:{port}"
    service = f"SELECT * WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}"
    context = f'{{"@context": "{base}/context.jsonld", "@id": "http://example.org/a"}}'
    return {
        "urllib": lambda: urllib.request.urlopen(f"{base}/", timeout=2),  # noqa: S310 - the point of the test
        "socket": lambda: socket.create_connection(("127.0.0.1", port), timeout=2),
        "parse-url": lambda: Graph().parse(f"{base}/data.ttl"),
        "sparql-service": lambda: list(Graph().query(service)),
        "jsonld-context": lambda: Graph().parse(data=context, format="json-ld"),
        "name-lookup": lambda: socket.getaddrinfo("example.org", 80),
    }


@pytest.mark.parametrize("name", sorted(_attempts(0)))
def test_every_path_to_the_network_is_refused(name: str, listener: Listener) -> None:
    attempt = _attempts(listener.port)[name]
    with no_outbound_traffic(), pytest.raises(Exception) as caught:
        attempt()  # type: ignore[operator]
    chain: BaseException | None = caught.value
    refused = False
    while chain is not None:
        refused |= isinstance(chain, OutboundRefusedError) or "refused: kg never" in str(chain)
        chain = chain.__cause__ or chain.__context__
    assert refused, repr(caught.value)
    assert listener.hits == 0


def test_the_listener_does_count(listener: Listener) -> None:
    """The control: without the guard, the same connection is seen (so zero hits above means something)."""
    socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
    for _ in range(50):
        if listener.hits:
            break
        threading.Event().wait(0.05)
    assert listener.hits == 1


def test_installed_kg_fetches_nothing(listener: Listener, tmp_path: Path) -> None:
    remote = tmp_path / "remote.jsonld"
    remote.write_text(f'{{"@context": "http://127.0.0.1:{listener.port}/c", "@id": "http://e/a"}}', encoding="utf-8")
    turtle = tmp_path / "import.ttl"
    turtle.write_text(f"<http://e/a> <http://www.w3.org/2002/07/owl#imports> <http://127.0.0.1:{listener.port}/o> .\n",
                      encoding="utf-8")
    assert run_kg("export", "--graph", str(remote)).returncode == 2
    assert run_kg("export", "--graph", str(turtle), "--format", "nt").returncode == 0
    assert listener.hits == 0


def test_binding_all_interfaces_is_not_outbound() -> None:
    """``kg serve --host 0.0.0.0`` resolves an IP literal: no resolver is asked, nothing leaves."""
    with no_outbound_traffic():
        assert socket.getaddrinfo("0.0.0.0", 0)  # noqa: S104 - the point of the test
        assert socket.getaddrinfo("::", 0)
        with pytest.raises(OutboundRefusedError):
            socket.create_connection(("127.0.0.1", 9), timeout=0.5)
