"""``kg serve``: the subcommand's options (:func:`add_parser`) and what it does (:func:`run`).

Kept apart from ``kg/cli.py`` (as ``kg query`` is): ``cli.py`` calls :func:`add_parser` on its subparsers
and :func:`run` for ``args.command == "serve"``. The graph is built and reasoned over once, before the
server listens (or, with ``--store oxigraph:PATH`` and no ``--graph``, the store at PATH is served as it is,
:mod:`kg.serve_store`); uvicorn serves the app of :func:`kg.serve.create_app` in one process (query workers are
forked by the app itself, see :mod:`kg.serve_pool`).
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kg.cli_values import positive_seconds
from kg.errors import InputError

if TYPE_CHECKING:
    from starlette.applications import Starlette

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kg serve`` and its options to ``subparsers``."""
    from kg.serve_limits import DEFAULT_MAX_BODY, DEFAULT_MAX_ROWS
    from kg.store import add_store_option

    command = subparsers.add_parser(
        "serve", help="serve the graph: SPARQL endpoint, query page, entity pages (local, read-only)",
        description="Serve the graph over HTTP: /sparql (SPARQL 1.1 Protocol, read-only), / (query page), "
                    "/network, /id/... and /ontology. Binds 127.0.0.1 unless --host says otherwise. "
                    "--store oxigraph:PATH without --graph serves the store kg build --store left at PATH "
                    "as it is (read-only, nothing loaded into rdflib).")
    command.add_argument("--graph", type=Path, help="a graph file (Turtle, TriG, N-Triples, N-Quads, JSON-LD); "
                         "default: the bundled article")
    command.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    command.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    command.add_argument("--timeout", type=positive_seconds, default=10.0, metavar="SECONDS",
                         help="stop a query after SECONDS and answer 503 (default 10)")
    command.add_argument("--max-rows", type=_count, default=DEFAULT_MAX_ROWS, metavar="N",
                         help=f"cut SELECT results to N rows, said in a header (default {DEFAULT_MAX_ROWS})")
    command.add_argument("--max-body", type=_count, default=DEFAULT_MAX_BODY, metavar="BYTES",
                         help=f"refuse a request body over BYTES with 413 (default {DEFAULT_MAX_BODY})")
    command.add_argument("--workers", type=_count, default=2, metavar="N",
                         help="query worker processes, i.e. queries evaluated at once (default 2)")
    add_store_option(command)


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number of at least 1")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """Build the graph, then serve it until Ctrl-C; a bad ``--graph`` raises :class:`InputError` first."""
    import uvicorn

    from kg.commands import built
    from kg.serve import create_app
    from kg.store import open_built

    _listenable(args.host, args.port)
    if not _is_loopback(args.host):
        print(f"kg serve: warning: binding {args.host} exposes the endpoint beyond this machine",
              file=sys.stderr)
    if args.graph is None and args.store.kind == "oxigraph" and args.store.path is not None:
        app = _store_app(args)  # the store as kg build left it: nothing is built or loaded
    else:
        print("kg serve: building the graph and its entailments ...", file=sys.stderr)
        result = built(args.graph)
        opened = open_built(args.store, result, args.graph)
        print(f"kg serve: {opened.description}", file=sys.stderr)
        app = create_app(result, timeout_s=args.timeout, max_rows=args.max_rows,
                         max_body=args.max_body, workers=args.workers, store=opened.store)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"kg serve: http://{shown}:{args.port}/ (query page), /sparql (endpoint); Ctrl-C stops",
          file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                timeout_graceful_shutdown=5)
    return 0


def _store_app(args: argparse.Namespace) -> Starlette:
    """The app of ``--store oxigraph:PATH`` without ``--graph``: PATH must be a finished kg store."""
    from kg.serve_store import create_store_app, describe
    from kg.serve_store_open import open_existing

    store = open_existing(args.store.path)
    print(f"kg serve: {describe(store)}", file=sys.stderr)
    return create_store_app(store, timeout_s=args.timeout, max_rows=args.max_rows, max_body=args.max_body,
                            workers=args.workers)


def _listenable(host: str, port: int) -> None:
    """Bind the address once before anything is built or opened, so that a busy port or a host name (kg
    never looks names up) is one line, not an error after minutes of building."""
    if host != "localhost":
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise InputError("kg serve", None, f"--host {host!r}: give an IP address or localhost "
                                               "(kg never looks names up)") from None
    address = "127.0.0.1" if host == "localhost" else host
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError as err:
            raise InputError("kg serve", None, f"cannot listen on {host}:{port}: {err.strerror}") from None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
