"""``kg query --endpoint URL``: run a (bundled) query on a remote SPARQL endpoint, read-only.

So a user can check that the server answers like the local graph after ``kg push``. The query is the same
checked text (:func:`kg.query_engine.prepare`: no updates, SERVICE or FROM), the output the same formats
(:func:`kg.results.render`), and the request goes only to the endpoint's host:port
(:func:`kg.guard.allow_endpoint`).

Parameters: locally they are bound with ``initBindings``, which pre-binds the variable everywhere in the
query, inside nested groups too. The SPARQL Protocol has no such thing, and a trailing ``VALUES`` would join
only after the groups whose FILTERs use the variable. So each parameter variable is replaced by the RDF term
(rdflib's ``n3()``: quotes, backslashes and newlines escaped; IRIs checked), outside strings, IRIs and
comments; the result is parsed and checked again before it is sent. The value is never spliced in as text.

The query runs over the server's default graph: Virtuoso and GraphDB make it the union of all graphs; Fuseki
and Oxigraph need their union-default-graph option (docs/push.md).

Exit codes (besides ``kg query``'s own): 3 when the endpoint cannot be reached or refuses the query, 124 when
it does not answer within ``--timeout``.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rdflib import Graph
from rdflib.query import Result

from kg.errors import InputError
from kg.push_cli import add_credential_options, check_url, credentials_of
from kg.query_engine import Prepared
from kg.sparql_safety import QueryError, parse_checked

if TYPE_CHECKING:  # httpx is imported where used, so kg's other commands start without it
    from kg.push_http import Remote

EXIT_REMOTE = 3
EXIT_TIMEOUT = 124
_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPHS = "text/turtle, application/n-triples;q=0.9"
_GRAPH_FORMATS = {"text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "nt",
                  "text/plain": "nt", "application/rdf+xml": "xml"}
# Skipped whole (so a "?name" inside them is left alone): comments, strings, IRIs; then variables.
_TOKENS = re.compile(
    r"""(\#[^\n]*)
      | (\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (<[^<>"{}|^`\\\x00-\x20]*>)
      | [?$](\w+)""",
    re.VERBOSE | re.DOTALL,
)


def add_options(command: argparse.ArgumentParser) -> None:
    """``--endpoint`` and the credential options, for ``kg query``."""
    command.add_argument("--endpoint", metavar="URL", help="run the query on this remote SPARQL endpoint "
                         "(read-only) instead of the local graph")
    add_credential_options(command)


def run(args: argparse.Namespace, prepared: Prepared, finish: Callable[[Result], int]) -> int:
    """Run ``prepared`` at ``args.endpoint`` and hand the result to ``finish`` (``kg query``'s output)."""
    from kg.guard import allow_endpoint
    from kg.push_http import Remote, RemoteError, RetryPolicy

    check_url(args.endpoint, "--endpoint")
    if args.graph is not None or args.no_inference:
        raise InputError("kg query", None, "--graph and --no-inference choose the local graph; with --endpoint "
                         "the query runs over the server's default graph")
    text = bound_text(prepared)
    credentials = credentials_of(args, urlsplit(args.endpoint).netloc)
    try:
        with allow_endpoint(args.endpoint), Remote(credentials, args.timeout, RetryPolicy(retries=0)) as remote:
            graph_query = prepared.query.algebra.name in ("ConstructQuery", "DescribeQuery")
            result = remote_result(remote, args.endpoint, text, prepared.spec.name, graph_query=graph_query)
    except RemoteError as err:
        print(f"kg query: {err}", file=sys.stderr)
        return EXIT_TIMEOUT if err.timed_out else EXIT_REMOTE
    return finish(result)


def bound_text(prepared: Prepared) -> str:
    """The query text with each parameter variable replaced by its RDF term, checked again."""
    if not prepared.bindings:
        return prepared.spec.text

    def substitute(match: re.Match[str]) -> str:
        name = match.group(4)
        if name is not None and name in prepared.bindings:
            return prepared.bindings[name].n3()
        return match.group(0)

    text = _TOKENS.sub(substitute, prepared.spec.text)
    try:
        parse_checked(text)
    except QueryError as err:
        raise InputError(prepared.spec.origin, None, f"cannot bind the parameters into the query for a remote "
                         f"endpoint: {err.message}") from None
    return text


def remote_result(remote: Remote, endpoint: str, text: str, name: str, *, graph_query: bool) -> Result:
    """POST ``text`` to ``endpoint`` (SPARQL 1.1 Protocol, URL-encoded) and parse the answer: a graph for
    CONSTRUCT/DESCRIBE (``graph_query``), else SPARQL results (JSON or XML)."""
    response = remote.send("POST", endpoint, f"query {name} at {endpoint}", data={"query": text},
                           headers={"Accept": _GRAPHS if graph_query else _RESULTS})
    if response.headers.get("x-sparql-maxrows"):
        print(f"kg query: warning: the server cut the answer at {response.headers['x-sparql-maxrows']} rows",
              file=sys.stderr)
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if graph_query:
            graph = Graph()
            graph.parse(data=response.text, format=_GRAPH_FORMATS.get(media, "turtle"))
            result = Result("CONSTRUCT")
            result.graph = graph
            return result
        return Result.parse(io.BytesIO(response.content), format="xml" if "xml" in media else "json")
    except Exception as err:  # rdflib's parsers raise many kinds; all mean the same thing here
        from kg.push_http import RemoteError

        raise RemoteError(f"query {name}: the answer from {endpoint} ({media or 'no type'}) could not be read: "
                          f"{type(err).__name__}: {err}") from None

