"""Run a competency query: find it, bind its parameters, load the graph, evaluate it safely.

The engine behind ``kg query`` (:mod:`kg.query_cli`) and the notebook API (``kg.load_graph``,
``kg.query``). It is not called ``kg/query.py``: importing a submodule ``kg.query`` would replace the
function ``kg.query`` on the package. Queries live in ``queries/*.rq`` (:mod:`kg.query_catalogue`);
parameters are bound as ``initBindings`` (never spliced into the text); every query goes through
:mod:`kg.sparql_safety` (no updates, no SERVICE, no FROM, a time limit).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kg import iris
from kg.errors import InputError
from kg.name_key import name_key
from kg.query_catalogue import QuerySpec, is_query_name, resolve, spec_from_text
from kg.sparql_safety import QueryError, parse_checked, run_with_timeout

if TYPE_CHECKING:
    from kg.store import QueryStore

DEFAULT_TIMEOUT_S = 30.0
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_FORBIDDEN = re.compile(r"""[\s<>"{}|^`\\]""")

#: What ``kg.query`` returns for a SELECT: one dict per row, variable name -> term (``None`` if unbound).
Rows = list[dict[str, Node | None]]


@dataclass(frozen=True)
class Prepared:
    """A checked query and its bound parameters, ready to run on any graph."""

    spec: QuerySpec
    query: Query
    bindings: dict[str, Node]


def load_graph(graph_file: Path | str | None = None, *, inferred: bool = True) -> Graph:
    """Ontology + assertions (+ OWL RL entailments if ``inferred``) of a graph file or the bundled article.

    Without inference the reasoner is not run at all (it is most of the loading time).
    """
    path = Path(graph_file) if graph_file is not None else None
    if inferred:
        from kg.commands import built

        return built(path).graph(inferred=True)
    from kg.pipeline import build_from, union_of

    if path is None:
        return union_of(build_from(None), inferred=False)
    from kg.user_graph import read_user_dataset

    return union_of(read_user_dataset(path), inferred=False)


def prepare(spec: QuerySpec, params: Mapping[str, object]) -> Prepared:
    """Parse and check ``spec`` and bind ``params``; user mistakes raise :class:`InputError`."""
    try:
        query = parse_checked(spec.text)
    except QueryError as err:
        raise InputError(spec.origin, err.line, err.message, err.column) from None
    return Prepared(spec, query, bind_params(spec, query, params))


def bind_params(spec: QuerySpec, query: Query, params: Mapping[str, object]) -> dict[str, Node]:
    """The RDF term of each parameter; a missing, unknown or malformed one raises :class:`InputError`."""
    if not spec.params:
        return _bind_undeclared(spec, query, params)
    takes = ", ".join(sorted(spec.params))
    for name in params:
        if name not in spec.params:
            message = f"query {spec.name!r} has no parameter {name!r} (it takes: {takes})"
            raise InputError("kg query", None, message)
    bound = {}
    for name, param in spec.params.items():
        if name not in params:
            raise InputError("kg query", None, f"query {spec.name!r} needs --param {name}=VALUE "
                             f"({param.kind}: {param.description})")
        bound[name] = term_of(name, params[name], param.kind)
    return bound


def _bind_undeclared(spec: QuerySpec, query: Query, params: Mapping[str, object]) -> dict[str, Node]:
    """Parameters of a query without a header: each must name a variable of the query."""
    variables = variables_of(query)
    bound = {}
    for name, value in params.items():
        if name not in variables:
            raise InputError("kg query", None, f"--param {name}: the query has no variable ?{name}")
        is_iri = isinstance(value, str) and value.startswith("<") and value.endswith(">")
        bound[name] = term_of(name, value, "iri" if is_iri else "literal")
    return bound


def variables_of(query: Query) -> set[str]:
    """The names of every variable in the query's algebra."""
    names: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, Variable):
            names.add(str(node))

    traverse(query.algebra, visitPost=visit)
    return names


def term_of(name: str, value: object, kind: str) -> Node:
    """``value`` read as ``kind``: a plain literal, a name's search key (:func:`kg.name_key.name_key`), an
    integer, or an IRI (``<...>``, ``prefix:local`` with a project prefix, or an absolute IRI). RDF terms pass
    through unchanged, except that a ``name`` is always its key's plain literal."""
    if kind == "name":
        return Literal(name_key(str(value)))
    if isinstance(value, URIRef | Literal):
        return value
    text = str(value)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text.strip()):
            raise InputError("kg query", None, f"--param {name}: {text!r} is not an integer")
        return Literal(int(text))
    if kind == "iri":
        return _iri_of(name, text)
    return Literal(text)


def _iri_of(name: str, text: str) -> URIRef:
    inner = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    prefix, _, local = inner.partition(":")
    if prefix in iris.PREFIXES and not inner.startswith(prefix + "://"):
        inner = str(iris.PREFIXES[prefix]) + local
    if not _SCHEME.match(inner) or _IRI_FORBIDDEN.search(inner):
        raise InputError("kg query", None, f"--param {name}: {text!r} is not an IRI (give <https://...> or "
                         "a prefixed name such as orgs:murata)")
    return URIRef(inner)


def run(prepared: Prepared, graph: Graph, timeout_s: float = DEFAULT_TIMEOUT_S) -> Result:
    """Evaluate a prepared query (raises :class:`kg.sparql_safety.QueryTimeoutError` past ``timeout_s``)."""
    return run_with_timeout(graph, prepared.query, prepared.bindings, timeout_s)


def spec_of(name_or_sparql: str) -> QuerySpec:
    """A bundled query by name, a ``.rq`` file, or SPARQL text."""
    if is_query_name(name_or_sparql) or name_or_sparql.endswith(".rq"):
        return resolve(name_or_sparql)
    return spec_from_text(name_or_sparql, "query", "<query>")


_graphs: dict[bool, Graph] = {}


def query(name_or_sparql: str, graph: Graph | QueryStore | None = None, *, inferred: bool = True,
          timeout_s: float = DEFAULT_TIMEOUT_S, **params: object) -> Rows | bool | Graph:
    """Run a bundled query (by name), a ``.rq`` file or SPARQL text, for notebooks.

    SELECT gives :data:`Rows`, ASK a bool, CONSTRUCT/DESCRIBE a graph. ``params`` are the query's
    parameters (``kg.query("partners-of", name="村田")``): strings are read as the query declares, RDF terms
    pass unchanged. Without ``graph`` the bundled article is loaded once and cached (do not modify it).
    ``graph`` may also be a store of :mod:`kg.store` (``kg.store.open_store(...).store``).
    """
    prepared = prepare(spec_of(name_or_sparql), params)
    if graph is None:
        if inferred not in _graphs:
            _graphs[inferred] = load_graph(inferred=inferred)
        graph = _graphs[inferred]
    if isinstance(graph, Graph):
        result = run(prepared, graph, timeout_s)
    else:
        result = graph.run(prepared.query, prepared.spec.text, prepared.bindings, inferred=inferred,
                           timeout_s=timeout_s)
    if result.type == "ASK":
        return bool(result.askAnswer)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        return result.graph
    names = [str(v) for v in result.vars or []]
    return [{name: row.get(Variable(name)) for name in names} for row in result.bindings]
