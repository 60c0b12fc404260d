"""``kg push``: the subcommand's options (:func:`add_parser`) and what it does (:func:`run`).

Exit codes: 0 (pushed, and the server counts what was sent), 1 (the push failed: the message says which graph
and chunk, and what state the server is in), 2 (a user mistake, printed by ``kg/cli.py`` as one line).

The password is read from the environment variable named by ``--password-env`` or asked for on the terminal;
it is never an option (it would sit in the shell history and in ``ps``), never part of a URL, never printed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kg import iris
from kg.cli_values import positive_seconds
from kg.errors import InputError
from kg.guard import confined_to
from kg.push_chunks import BODY_FORMATS, IRI, parse_size

if TYPE_CHECKING:  # imported where used: httpx and tqdm stay out of every other kg command's start-up
    from rdflib import Dataset

    from kg.push_http import Credentials
    from kg.push_plan import Outcome, Target

AUTH_SCHEMES = ("auto", "digest", "basic")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kg push`` and its options to ``subparsers``."""
    command = subparsers.add_parser(
        "push", allow_abbrev=False,
        help="upload the named graphs to a SPARQL server (Graph Store protocol or SPARQL Update)",
        description="Upload each named graph (ontology, one per article, and with --inferred the entailments) "
                    "to a SPARQL 1.1 server. --replace (default) swaps all graphs in at once after a staged "
                    "upload; --append adds to what is there.")
    command.add_argument("--endpoint", required=True, metavar="URL", help="the SPARQL query endpoint")
    command.add_argument("--update", metavar="URL", help="the SPARQL Update endpoint (default: --endpoint)")
    command.add_argument("--gsp", metavar="URL", help="the Graph Store endpoint; without it, INSERT DATA batches")
    add_credential_options(command)
    command.add_argument("--graph-base", metavar="IRI", help=f"name the graphs under IRI instead of {iris.GRAPH}")
    command.add_argument("--inferred", action="store_true", help="also push the OWL RL entailments graph")
    mode = command.add_mutually_exclusive_group()
    mode.add_argument("--replace", dest="append", action="store_false", default=False,
                      help="replace each graph (default)")
    mode.add_argument("--append", dest="append", action="store_true", default=False, help="add to each graph")
    source = command.add_mutually_exclusive_group()
    source.add_argument("--sources", type=Path, help="folder of articles to build; default: the bundled article")
    source.add_argument("--graph", type=Path, help="a graph file (TriG keeps its named graphs) instead")
    command.add_argument("--chunk-size", type=_size, default=4 << 20, metavar="SIZE",
                         help="largest request body, e.g. 512k, 4M (default 4M)")
    command.add_argument("--batch-triples", type=_count, default=1000, metavar="N",
                         help="triples per INSERT DATA request (default 1000; Virtuoso fails near 5000)")
    command.add_argument("--body", choices=tuple(BODY_FORMATS), default="nt", help="Graph Store body format")
    command.add_argument("--retries", type=_count_or_zero, default=3, metavar="N",
                         help="tries again after a failed request, with backoff (default 3)")
    command.add_argument("--timeout", type=positive_seconds, default=120.0, metavar="SECONDS",
                         help="per request (default 120)")
    command.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no report")


def add_credential_options(command: argparse.ArgumentParser) -> None:
    """``--user``, ``--password-env`` and ``--auth`` (shared with ``kg query --endpoint``)."""
    command.add_argument("--user", help="user name for the server (the password: --password-env or a prompt)")
    command.add_argument("--password-env", metavar="VAR", help="environment variable holding the password")
    command.add_argument("--auth", choices=AUTH_SCHEMES, default="auto",
                         help="auth scheme (default: the one the server asks for; Virtuoso: digest)")
    command.add_argument("--password", nargs="?", action=_NoPassword, help=argparse.SUPPRESS)


class _NoPassword(argparse.Action):
    """``--password`` exists only to be refused, without echoing its value: a password on the command line
    lands in the shell history and in ``ps``, and argparse would otherwise read ``--password`` as an
    abbreviation of ``--password-env`` and print the password back as a variable name."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        parser.error("there is no --password option: put the password in an environment variable and give "
                     "--password-env VAR, or leave both out to be asked")


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _count_or_zero(text: str) -> int:
    return 0 if text == "0" else _count(text)


def run(args: argparse.Namespace) -> int:
    """Run ``kg push``: user mistakes raise :class:`InputError` before anything is built or sent."""
    from kg.guard import allow_endpoint
    from kg.push import Pusher, PushError
    from kg.push_http import Remote, RetryPolicy
    from kg.push_plan import Progress, plans_of

    target = target_of(args)
    credentials = credentials_of(args, urlsplit(args.endpoint).netloc)
    plans = plans_of(dataset_of(args.graph, args.sources, args.inferred), inferred=args.inferred,
                     graph_base=args.graph_base)
    progress = Progress(sum(plan.size for plan in plans), args.quiet)
    urls = [url for url in (target.query, target.update, target.gsp) if url]
    try:
        with allow_endpoint(*urls), Remote(credentials, args.timeout, RetryPolicy(args.retries)) as remote:
            outcome = Pusher(remote, target, progress).push(plans)
    except PushError as err:
        progress.close()
        print(f"kg push: {err}", file=sys.stderr)
        return 1
    progress.close()
    return report(outcome, target, args.quiet)


def target_of(args: argparse.Namespace) -> Target:
    """The checked endpoints and limits."""
    from kg.push_plan import Target

    for option in ("endpoint", "update", "gsp"):
        check_url(getattr(args, option), f"--{option}")
    if args.graph_base is not None and not IRI.fullmatch(args.graph_base):
        raise InputError("kg push", None, f"--graph-base {args.graph_base!r} is not an absolute IRI")
    if not args.timeout > 0:
        raise InputError("kg push", None, "--timeout must be a positive number of seconds")
    return Target(args.endpoint, args.update or args.endpoint, args.gsp, not args.append, args.body,
                  args.chunk_size, args.batch_triples)


def check_url(url: str | None, option: str) -> None:
    """Refuse a URL that is not http(s), or that carries a user or password (they go in the options)."""
    if url is None:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("kg", None, f"{option} {url!r}: expected an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise InputError("kg", None, f"{option}: no user or password in the URL; use --user and --password-env")


def credentials_of(args: argparse.Namespace, where: str) -> Credentials | None:
    """The user's credentials, the password from ``--password-env`` or the terminal; None without ``--user``."""
    from kg.push_http import Credentials

    if args.user is None:
        if args.password_env is not None:
            raise InputError("kg", None, "--password-env needs --user")
        return None
    if args.password_env is not None:
        password = os.environ.get(args.password_env, "")
        if not password:  # the name is not echoed: it may be a password typed in the wrong place
            raise InputError("kg", None, "--password-env: that environment variable is not set or is empty")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.user} at {where}: ")
    else:
        raise InputError("kg", None, "--user needs a password: give --password-env VAR (no terminal to ask on)")
    return Credentials(args.user, password, args.auth)


@confined_to("graph_file", "sources")  # reads no file but these, kg's and Python's own (kg.guard_files)
def dataset_of(graph_file: Path | None, sources: Path | None, inferred: bool) -> Dataset:
    """The dataset to push; the reasoner runs only for ``--inferred`` (it is most of the build time)."""
    if inferred:
        from kg.commands import built

        return built(graph_file, sources).dataset
    if graph_file is None:
        from kg.pipeline import build_from

        return build_from(sources)
    from kg.io import read_graph
    from kg.ontology import ontology_graph
    from kg.pipeline import union_of

    dataset = read_graph(graph_file)
    if (iris.ONTOLOGY_IRI, None, None) not in union_of(dataset):
        dataset.graph(iris.ONTOLOGY_GRAPH).__iadd__(ontology_graph())
    return dataset


def report(outcome: Outcome, target: Target, quiet: bool) -> int:
    """Print one line per graph and the totals; exit 1 if the server does not hold what a replace sent."""
    code = 0
    for plan in outcome.graphs:
        held = outcome.counts.get(plan.name)
        if target.replace and held is not None and held != len(plan.lines):
            print(f"kg push: <{plan.name}>: the server holds {held:,} triples, {len(plan.lines):,} were pushed",
                  file=sys.stderr)
            code = 1
        if not quiet:
            print(f"<{plan.name}>  {len(plan.lines):,} triples" + (f" (server: {held:,})" if held is not None else ""))
    if not quiet:
        rate = outcome.triples / outcome.seconds if outcome.seconds else 0.0
        mode = "replaced" if target.replace else "appended"
        print(f"{mode} {len(outcome.graphs)} graph(s), {outcome.triples:,} triples via {outcome.via} in "
              f"{outcome.seconds:.2f} s ({rate:,.0f} triples/s, {outcome.requests} requests)")
    return code
