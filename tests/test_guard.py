"""No outbound traffic, proven: a loopback listener records every connection; with the guard active, every
path rdflib has to the network (URL parse, SERVICE, remote JSON-LD context, urllib, raw sockets) is refused
before a byte leaves, so the listener records zero hits. And no local file outside the inputs is read: a
secret marker that each unguarded path does leak never appears once the stage is confined."""

from __future__ import annotations

import contextlib
import importlib
import os
import socket
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph

from kg.assets import asset
from kg.guard import FileRefusedError, OutboundRefusedError, confined_reads, no_outbound_traffic
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


# The file half (kg.guard_files): inside a confined stage no file outside the inputs is opened or listed.
# Every vector is tried twice: unguarded (the control: the secret marker really leaks) and confined (refused,
# the marker nowhere). The secret lives in a folder beside the inputs, never inside them.

SECRET = "SECRET-MARKER-8d41c7"  # noqa: S105 - a marker, not a password
BAD_INPUTS = Path(__file__).parent / "bad_inputs"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A folder outside the inputs with a secret JSON-LD context and a secret Turtle file."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.jsonld").write_text(f'{{"@context": {{"leak": "http://example.org/{SECRET}"}}}}\n')
    (folder / "secret.ttl").write_text(f"<http://example.org/{SECRET}> <http://example.org/p> 1 .\n")
    return folder


def _input(tmp_path: Path, template: str, secret: Path) -> Path:
    """A case of tests/bad_inputs/ with its placeholders pointing at the secret files."""
    text = (BAD_INPUTS / template).read_text(encoding="utf-8")
    text = text.replace("SECRET_CONTEXT_IRI", (secret / "secret.jsonld").as_uri())
    path = tmp_path / "inputs" / template
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace("SECRET_TURTLE_IRI", (secret / "secret.ttl").as_uri()), encoding="utf-8")
    return path


def _file_reads(secret: Path) -> dict[str, Callable[[], object]]:
    context, turtle = (secret / "secret.jsonld").as_uri(), (secret / "secret.ttl").as_uri()
    jsonld = '{{"@context": {}, "@id": "http://example.org/a", "leak": "x"}}'
    return {
        "jsonld-context": lambda: Graph().parse(data=jsonld.format(f'"{context}"'), format="json-ld"),
        "jsonld-import": lambda: Graph().parse(data=jsonld.format(f'{{"@version": 1.1, "@import": "{context}"}}'),
                                               format="json-ld"),
        "parse-file-iri": lambda: Graph().parse(turtle),
        "sparql-from": lambda: list(Dataset().query(f"SELECT * FROM <{turtle}> {{ ?s ?p ?o }}")),  # noqa: S608
        "open": lambda: (secret / "secret.ttl").read_text(),
        "symlink-in-input": lambda: (secret.parent / "inputs" / "link.ttl").read_text(),
        "listdir": lambda: [SECRET for path in secret.iterdir() if path.name == "secret.ttl"],
    }


@pytest.mark.parametrize("name", sorted(_file_reads(Path("/"))))
def test_every_path_to_a_local_file_is_refused(name: str, secret: Path, tmp_path: Path) -> None:
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "link.ttl").symlink_to(secret / "secret.ttl")
    attempt = _file_reads(secret)[name]
    unguarded = attempt()
    assert SECRET in (unguarded.serialize(format="nt") if isinstance(unguarded, Graph) else str(unguarded))
    with pytest.raises(FileRefusedError) as caught, confined_reads(tmp_path / "inputs"):
        attempt()
    assert str(caught.value).startswith(str(secret)), caught.value
    assert "not read: outside the files kg may read" in str(caught.value)


def test_confined_stage_still_reads_inputs_imports_assets_and_own_temp_dirs(secret: Path, tmp_path: Path) -> None:
    given = tmp_path / "input.ttl"
    given.write_text("<http://e/a> <http://e/b> 1 .\n")
    sys.modules.pop("tabnanny", None)
    with confined_reads(given):
        assert len(Graph().parse(given)) == 1
        assert importlib.import_module("tabnanny")  # a lazy import, never loaded before in this process
        assert asset("queries", "awards.rq").read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory() as own, Path(os.devnull).open() as null:
            (Path(own) / "x").write_text("made by the stage itself")
            assert (Path(own) / "x").read_text() == "made by the stage itself" and null.read() == ""
    with pytest.raises(FileRefusedError), confined_reads(given):  # writes are confined too
        (tmp_path / "sibling-of-the-input.ttl").write_text("no")


def test_a_swallowed_refusal_still_fails_the_stage(secret: Path) -> None:
    # A library that hides the error (contextlib.suppress): leaving the stage raises it anyway.
    with pytest.raises(FileRefusedError), confined_reads(), contextlib.suppress(Exception):
        (secret / "secret.ttl").read_text()


@pytest.mark.parametrize("command", [
    ["export", "--format", "nt"], ["query", "--no-inference", "-e", "SELECT * { ?s ?p ?o }"],
    ["push", "--endpoint", "http://127.0.0.1:9/sparql", "-q"]])  # push: refused before anything is sent
def test_kg_refuses_a_jsonld_import_of_a_local_file(command: list[str], secret: Path, tmp_path: Path) -> None:
    graph = _input(tmp_path, "graph_jsonld_import.jsonld", secret)
    result = run_kg(*command[:1], "--graph", str(graph), *command[1:])
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [f"{graph}:2: JSON-LD @import is not allowed (nothing is fetched "
                                                  "or read); inline the context"]
    assert SECRET not in result.stdout + result.stderr


def test_owl_imports_and_file_iris_are_data_never_dereferenced(secret: Path, tmp_path: Path) -> None:
    """The stage is strict: had anything tried to read the imported file, kg would exit 2."""
    graph = _input(tmp_path, "graph_owl_imports.ttl", secret)
    result = run_kg("export", "--graph", str(graph), "--format", "nt")
    assert result.returncode == 0, result.stderr
    assert f"<{(secret / 'secret.ttl').as_uri()}>" in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_kg_query_evaluation_is_confined(secret: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Past the SPARQL safety layer (here: an evaluation that reads FROM a file), ``kg query`` still reads none."""
    from kg import cli, query_cli

    sneaky = f"SELECT * FROM <{(secret / 'secret.ttl').as_uri()}> {{ ?s ?p ?o }}"  # noqa: S608
    monkeypatch.setattr(query_cli, "run_query", lambda *_: Dataset().query(sneaky))
    assert cli.main(["query", "--no-inference", "-e", "ASK { ?s ?p ?o }"]) == 2
    out, err = capsys.readouterr()
    assert "secret.ttl: not read: outside the files kg may read" in err
    assert SECRET not in out + err


class SneakyGraph(Graph):
    """A graph whose evaluation reads a local file: what a hole in the SPARQL checks would lead to."""

    secret: Path

    def query(self, *args: Any, **kwargs: Any) -> Any:
        return Graph().parse(self.secret / "secret.ttl").query(*args, **kwargs)


@pytest.mark.parametrize("isolation", ["process", "thread"])
def test_server_queries_cannot_read_a_file(isolation: str, secret: Path, built: Any) -> None:
    from starlette.testclient import TestClient

    from kg.serve import create_app
    from kg.store_rdflib import RdflibStore

    sneaky = SneakyGraph()
    sneaky.secret = secret
    assert SECRET in str(list(sneaky.query("SELECT * { ?s ?p ?o }")))  # the control: unguarded, it leaks
    app = create_app(built, workers=1, isolation=isolation, store=RdflibStore({True: sneaky, False: sneaky}))
    with TestClient(app) as client:
        response = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"},
                              headers={"Accept": "text/csv"})
        assert client.get("/static/" + "../" * 8 + str(secret / "secret.ttl")).status_code == 404
        assert client.get("/").status_code == 200  # pages and static files are still served, confined
    assert response.status_code == 400, response.text
    assert "not read: outside the files kg may read" in response.text
    assert SECRET not in response.text


def test_the_library_refuses_a_jsonld_import_too(tmp_path: Path) -> None:
    """``kg.load_graph`` runs without the CLI's guards: the ``@import`` is refused before rdflib would fetch it."""
    import kg
    from kg.errors import InputError

    graph = tmp_path / "import.jsonld"
    graph.write_text('{"@context": [\n {"@import": "http://127.0.0.1:9/ctx.jsonld"}],\n "@id": "http://e/a"}\n',
                     encoding="utf-8")
    with pytest.raises(InputError) as refused:
        kg.load_graph(graph)
    assert (refused.value.path, refused.value.line) == (str(graph), 2)
    assert refused.value.message.startswith("JSON-LD @import is not allowed")
