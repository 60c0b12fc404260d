"""``kg``: the command line. It only parses arguments; the work is in :mod:`kg.commands`.

A user mistake (bad YAML, a quote not in the article, a broken graph file) prints one line
``FILE:LINE: what is wrong`` on stderr and exits 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, cast

from kg import push_cli, query_cli, serve_cli
from kg.errors import InputError
from kg.export import GRAPH_FORMATS, NETWORK_FORMATS
from kg.guard import OutboundRefusedError, no_outbound_traffic
from kg.store import StoreSpec


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (argparse prints the whole usage block first); ``--help`` shows it.
    Subcommands are made of the same class (``add_subparsers`` uses the parent's)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    main_parser = OneLineParser(prog="kg", description="zqgj-kg: party-building pairing knowledge graph")
    # each a OneLineParser, typed as the argparse.ArgumentParser the other modules' add_parser take
    commands = cast("argparse._SubParsersAction[argparse.ArgumentParser]",
                    main_parser.add_subparsers(dest="command", required=True))
    build = commands.add_parser("build", help="build the graph and write every output")
    build.add_argument("--sources", type=Path, help="folder of articles (<id>.txt + <id>.yaml); default: bundled")
    build.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build/)")
    build.add_argument("--store", type=StoreSpec.parse, default=StoreSpec(), metavar="auto|rdflib|oxigraph[:PATH]",
                       help="rdflib: in memory, every output, SHACL-validated; oxigraph[:PATH]: the bulk build into "
                            "Oxigraph (on disk at PATH), for corpora rdflib cannot hold (docs/bulk.md); default "
                            "auto: by the size of the articles")
    _reasoner_option(build)
    export = commands.add_parser("export", help="write the graph in one format")
    _graph_option(export)
    export.add_argument("--format", choices=GRAPH_FORMATS + NETWORK_FORMATS, default="ttl")
    export.add_argument("--inferred", action="store_true", help="include the OWL RL entailments")
    export.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    viz = commands.add_parser("viz", help="write the interactive network page (offline HTML)")
    _graph_option(viz)
    viz.add_argument("-o", "--output", type=Path, default=Path("network.html"), help="default: network.html")
    viz.add_argument("--focus", help="an organisation's name (zh, en, alias) to centre on")
    viz.add_argument("--depth", type=int, default=1, help="neighbourhood depth around --focus (default 1)")
    viz.add_argument("--phase", type=int, choices=(1, 2), help="only the pairings of this phase")
    viz.add_argument("--no-people", action="store_true", help="leave out people and posts")
    viz.add_argument("--inferred", action="store_true", help="draw the graph with its OWL RL entailments")
    viz.add_argument("--store", type=_viz_store, metavar="rdflib|oxigraph:PATH",
                     help="read the graph from the Oxigraph store kg left at PATH (kg query --store, kg.bulk), "
                          "only the triples the page draws; for graphs too big for rdflib")
    query_cli.add_parser(commands)
    serve_cli.add_parser(commands)
    push_cli.add_parser(commands)
    check = commands.add_parser("validate", help="check the graph against the SHACL contract and OWL RL")
    _graph_option(check)
    check.add_argument("--sources", type=Path, help="folder of articles to build and check; default: bundled")
    check.add_argument("--format", choices=("text", "json"), default="text")
    _reasoner_option(check)
    return main_parser


def _reasoner_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--reasoner", choices=("rules", "owlrl"), default="rules",
                         help="OWL 2 RL closure: rules generated from the ontology (default, fast) or owlrl "
                              "(the reference implementation; same entailments, slower)")


def _viz_store(text: str) -> Path | None:
    """``kg viz --store``: ``oxigraph:PATH``, an existing store the page is read from (never loaded into);
    ``rdflib`` and ``auto`` are the default, rdflib in memory."""
    from kg.store import StoreSpec

    spec = StoreSpec.parse(text)
    if spec.kind == "oxigraph" and spec.path is None:
        raise argparse.ArgumentTypeError(f"{text!r}: kg viz reads an existing store, give oxigraph:PATH")
    return spec.path


def _graph_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--graph", type=Path,
                         help="a graph file (Turtle, TriG, N-Triples, N-Quads, JSON-LD); default: bundled")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kg`` with ``argv``; returns the exit code. No command may reach the network (:mod:`kg.guard`)."""
    args = parser().parse_args(argv)
    # rdflib logs warnings (an odd IRI on its way to a syntax error) that Python's last-resort handler would
    # print before kg's own one-line error; a library user keeps rdflib's logging as they configure it
    logging.getLogger("rdflib").addHandler(logging.NullHandler())
    try:
        with no_outbound_traffic():
            return _dispatch(args)
    except InputError as err:
        print(str(err), file=sys.stderr)
        return 2
    except OutboundRefusedError as err:
        print(f"kg: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a folder where a file goes, no permission, a name too long: the file and why
        print(f"{err.filename2 or err.filename or 'kg'}: {err.strerror or err}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    from kg import commands

    if args.command == "build":
        from kg.build_choice import run_chosen_build

        return run_chosen_build(args.sources, args.out, args.reasoner, args.store)
    if args.command == "viz":
        options = commands.VizOptions(args.focus, args.depth, args.phase, not args.no_people, args.inferred)
        return commands.run_viz(args.graph, options, args.output, args.store)
    if args.command == "query":
        return query_cli.run(args)
    if args.command == "push":
        return push_cli.run(args)
    if args.command == "serve":
        return serve_cli.run(args)
    if args.command == "validate":
        return commands.run_validate(args.graph, args.sources, args.format, args.reasoner)
    if args.command == "export":
        return commands.run_export(args.graph, args.format, args.inferred, args.output)
    raise AssertionError(f"unhandled command {args.command!r}")  # argparse allows only the commands above


if __name__ == "__main__":
    raise SystemExit(main())
