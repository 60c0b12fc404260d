"""``kg``: the command line. It only parses arguments; the work is in :mod:`kg.commands`.

A user mistake (bad YAML, a quote not in the article, a broken graph file) prints one line
``FILE:LINE: what is wrong`` on stderr and exits 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kg.errors import InputError
from kg.export import GRAPH_FORMATS, NETWORK_FORMATS


def parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    main_parser = argparse.ArgumentParser(prog="kg", description="zqgj-kg: party-building pairing knowledge graph")
    commands = main_parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the graph and write every output")
    build.add_argument("--sources", type=Path, help="folder of articles (<id>.txt + <id>.yaml); default: bundled")
    build.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build/)")
    export = commands.add_parser("export", help="write the graph in one format")
    _graph_option(export)
    export.add_argument("--format", choices=GRAPH_FORMATS + NETWORK_FORMATS, default="ttl")
    export.add_argument("--inferred", action="store_true", help="include the OWL RL entailments")
    export.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    check = commands.add_parser("validate", help="check the graph against the SHACL contract and OWL RL")
    _graph_option(check)
    check.add_argument("--sources", type=Path, help="folder of articles to build and check; default: bundled")
    check.add_argument("--format", choices=("text", "json"), default="text")
    return main_parser


def _graph_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--graph", type=Path, help="a graph file (Turtle, TriG, N-Triples, JSON-LD); default: bundled")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kg`` with ``argv``; returns the exit code."""
    args = parser().parse_args(argv)
    from kg import commands

    try:
        if args.command == "build":
            return commands.run_build(args.sources, args.out)
        if args.command == "validate":
            return commands.run_validate(args.graph, args.sources, args.format)
        if args.command == "export":
            return commands.run_export(args.graph, args.format, args.inferred, args.output)
    except InputError as err:
        print(str(err), file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
