"""``kg query``: the subcommand's options (:func:`add_parser`) and what it does (:func:`run`).

Kept apart from ``kg/cli.py`` so the query layer can grow without touching the main parser: ``cli.py``
calls :func:`add_parser` on its subparsers and :func:`run` for ``args.command == "query"``.

Exit codes: 0 (ASK with ``--exit-status``: true), 1 (ASK false with ``--exit-status``), 2 (a user mistake:
:class:`~kg.errors.InputError`, printed by ``cli.py`` as one line), 124 (``--timeout`` reached); with
``--endpoint URL`` the query runs on a remote server instead (:mod:`kg.push_query`; 3: the server failed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from rdflib.query import Result

from kg import push_query
from kg.cli_values import positive_seconds
from kg.errors import InputError
from kg.guard import confined_to
from kg.query_catalogue import QuerySpec, bundled, resolve, spec_from_text
from kg.query_engine import DEFAULT_TIMEOUT_S, Prepared, load_graph, prepare
from kg.query_engine import run as run_query
from kg.results import GRAPH_FORMATS, SELECT_FORMATS, cannot_write, render_bytes
from kg.sparql_safety import QueryTimeoutError
from kg.store import add_store_option, open_store, run_prepared
from kg.store_oxigraph import uses_graph_pattern

EXIT_TIMEOUT = 124


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kg query`` and all its options to ``subparsers``."""
    command = subparsers.add_parser(
        "query", help="run a competency query (bundled name, .rq file, or -e SPARQL)",
        description="Run a SPARQL query over ontology + assertions + OWL RL entailments. "
                    "Updates, SERVICE and FROM are refused.")
    command.add_argument("query", nargs="?", metavar="NAME|FILE.rq", help="a bundled query or a .rq file")
    command.add_argument("-e", "--expression", metavar="SPARQL", help="the query text itself")
    command.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                         help="a parameter of the query (repeatable); bound as a value, never spliced in")
    command.add_argument("--format", choices=SELECT_FORMATS + GRAPH_FORMATS,
                         help="SELECT/ASK output (default table); CONSTRUCT/DESCRIBE print Turtle (table, ttl) "
                              "or N-Triples (nt)")
    command.add_argument("--no-inference", action="store_true", help="assertions (+ ontology) only")
    command.add_argument("--graph", type=Path, help="a graph file (Turtle, TriG, N-Triples, N-Quads, JSON-LD); "
                         "default: the bundled article")
    command.add_argument("--sources", type=Path, help="a folder of articles to build and query instead (with "
                         "--store oxigraph:PATH: the store kg build --store left there is reused as it is)")
    command.add_argument("--timeout", type=positive_seconds, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                         help=f"stop the evaluation after SECONDS (default {DEFAULT_TIMEOUT_S:g})")
    command.add_argument("--exit-status", action="store_true", help="ASK: exit 0 if true, 1 if false")
    command.add_argument("--list", action="store_true", help="list the bundled queries and their questions")
    add_store_option(command)
    push_query.add_options(command)


@confined_to("args.graph", "args.sources", "args.query", "args.store.path")  # kg.guard_files
def run(args: argparse.Namespace) -> int:
    """Run ``kg query``; user mistakes raise :class:`InputError` before any graph is loaded."""
    if args.list:
        if args.query is not None or args.expression is not None:
            raise InputError("kg query", None, "--list lists every bundled query; give it alone")
        return _write(listing())
    prepared = prepare(_spec(args), parse_params(args.param))
    _check_format(prepared, args.format)
    if args.exit_status and prepared.query.algebra.name != "AskQuery":
        raise InputError(prepared.spec.origin, None, "--exit-status is for ASK queries (true: 0, false: 1)")
    if args.endpoint is not None:
        return push_query.run(args, prepared, lambda result: _output(args, result))
    try:
        result = _evaluate(args, prepared)
    except QueryTimeoutError as err:
        print(f"kg query: timeout: {err}", file=sys.stderr)
        if err.stuck:  # the worker thread cannot be stopped; do not wait for it at exit
            sys.stderr.flush()
            os._exit(EXIT_TIMEOUT)
        return EXIT_TIMEOUT
    return _output(args, result)


def _evaluate(args: argparse.Namespace, prepared: Prepared) -> Result:
    """Run on rdflib as always, or on the store ``--store`` names; the store's summary line goes to stderr
    when the user chose a store or ``auto`` chose Oxigraph, so that a plain query stays quiet."""
    inferred = not args.no_inference
    if uses_graph_pattern(prepared.query):
        raise InputError(prepared.spec.origin, None, "GRAPH needs a dataset; queries here run over one merged "
                         "graph (ontology + articles, + entailments with inference)")
    if args.graph is not None and args.sources is not None:
        raise InputError("kg query", None, "give --graph FILE or --sources DIR, not both")
    if args.sources is None and (args.store.kind == "rdflib" or (args.store.kind == "auto" and args.graph is None)):
        if args.store.kind == "rdflib":
            print("kg query: store: rdflib, in memory", file=sys.stderr)
        return run_query(prepared, load_graph(args.graph, inferred=inferred), args.timeout)
    opened = open_store(args.store, args.graph, args.sources, inferred=inferred)
    if args.store.kind != "auto" or "oxigraph" in opened.description.split(",")[0]:
        print(f"kg query: {opened.description}", file=sys.stderr)
    return run_prepared(opened.store, prepared, inferred=inferred, timeout_s=args.timeout,
                        native=args.format or "table")


def _output(args: argparse.Namespace, result: Result) -> int:
    """Print ``result`` in ``--format``; with ``--exit-status`` an ASK's answer is the exit code."""
    fmt = args.format or "table"
    try:
        text = render_bytes(result, fmt, shutil.get_terminal_size((120, 24)).columns)
    except Exception as err:  # rdflib's writers (kg.results.cannot_write says which)
        raise InputError("kg query", None, cannot_write(fmt, err)) from None
    code = _write(text)
    if args.exit_status and result.type == "ASK":
        return 0 if result.askAnswer else 1
    return code


def _spec(args: argparse.Namespace) -> QuerySpec:
    if args.expression is not None and args.query is not None:
        raise InputError("kg query", None, "give a query name or file, or -e SPARQL, not both")
    if args.expression is not None:
        return spec_from_text(args.expression, "-e", "<-e>")
    if args.query is None:
        raise InputError("kg query", None, "give a query name or file, or -e SPARQL (kg query --list shows "
                         "the bundled queries)")
    return resolve(args.query)


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["name=村田", ...]`` as a dict; a pair without ``=`` or given twice raises :class:`InputError`."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        name = name.strip()
        if not equals or not name:
            raise InputError("kg query", None, f"--param {pair!r}: expected NAME=VALUE")
        if name in params:
            raise InputError("kg query", None, f"--param {name} is given twice")
        params[name] = value
    return params


def _check_format(prepared: Prepared, fmt: str | None) -> None:
    """Graph results are Turtle or N-Triples, rows are not: refuse a format that does not fit the query's
    form before the graph is loaded."""
    kind = {"ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}.get(prepared.query.algebra.name)
    if kind and fmt not in (None, "table", *GRAPH_FORMATS):
        raise InputError(prepared.spec.origin, None, f"{kind} results are printed as Turtle; --format {fmt} "
                         "applies to SELECT and ASK (graphs: ttl, nt)")
    if not kind and fmt in GRAPH_FORMATS:
        raise InputError(prepared.spec.origin, None, f"--format {fmt} applies to CONSTRUCT and DESCRIBE; "
                         "SELECT and ASK print table, csv, tsv, json or xml")


def listing() -> str:
    """Every bundled query: name, parameters, and its question in English and Chinese."""
    lines = []
    for name, spec in bundled().items():
        params = " ".join(f"--param {p}=..." for p in spec.params)
        lines.append(f"{name}{'  ' + params if params else ''}")
        lines.append(f"    {spec.question}")
        lines.append(f"    {spec.question_zh}")
    return "\n".join(lines) + "\n"


def _write(text: str | bytes) -> int:
    """Write to stdout (bytes as they are); a closed pipe (``kg query ... | head``) is not an error."""
    try:
        binary = getattr(sys.stdout, "buffer", None)
        if isinstance(text, bytes) and binary is not None:
            sys.stdout.flush()
            binary.write(text)
        else:
            sys.stdout.write(text.decode("utf-8") if isinstance(text, bytes) else text)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``kg query ...`` on its own (``python -m kg.query_cli ...``): ``kg/cli.py``'s ``main`` with ``query``
    first, so errors are handled alike."""
    from kg.cli import main as kg_main

    return kg_main(["query", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    raise SystemExit(main())
