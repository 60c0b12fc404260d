"""The two guards around an Oxigraph query: a second look at its text, and its deadline.

Why a second look: :meth:`kg.store_oxigraph.OxigraphStore.run` takes the text *and* the ``Query`` that
:func:`~kg.sparql_safety.parse_checked` made of it, and Oxigraph evaluates the text. A caller passing a
different text than the one checked would otherwise reach Oxigraph, which calls ``SERVICE`` endpoints itself
with its own HTTP client, in native code that the audit hook of :mod:`kg.guard` never sees (measured: a
``SERVICE <http://127.0.0.1:PORT/>`` reaches a loopback listener). :func:`recheck` refuses updates,
``SERVICE`` and ``FROM`` on the tokens alone (no parsing: well under 1 ms).

Why a thread: Oxigraph evaluates in native code and releases the GIL; see :mod:`kg.store_oxigraph` for how a
query is stopped at its deadline. The runner is :mod:`kg.sparql_timeout`'s worker, reused as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib.plugins.sparql.parser import expandUnicodeEscapes
from rdflib.query import Result

from kg.sparql_errors import QueryRefusedError, QueryTimeoutError
from kg.sparql_refusals import refuse_update
from kg.sparql_timeout import _install_excepthook, _stop, _Worker
from kg.sparql_tokens import tokens


def recheck(text: str) -> None:
    """Refuse updates, SERVICE and FROM on the tokens of ``text`` itself, whatever ``Query`` came with it.

    ``run`` expects the pair :func:`~kg.sparql_safety.parse_checked` made; this cheap second look (no parsing)
    makes sure Oxigraph never sees a text that was not that one."""
    for form in (text, expandUnicodeEscapes(text)):  # SPARQL allows \\u escapes outside strings too
        refuse_update(form)
        for kind, token, _offset in tokens(form):
            if kind == "word" and token.upper() in ("SERVICE", "FROM"):
                raise QueryRefusedError(f"{token.upper()} would reach data outside the graph; refused",
                                        token=token)


def with_deadline(evaluate: Callable[[], Result], timeout_s: float) -> Result:
    """``evaluate()`` in a worker thread, stopped at ``timeout_s`` (see the module docstring for how)."""
    if timeout_s <= 0:
        raise ValueError("timeout_s must be positive")
    _install_excepthook()
    worker = _Worker(evaluate)
    worker.start()
    try:
        worker.join(timeout_s)
    except BaseException:  # Ctrl-C while waiting: stop the worker too
        _stop(worker)
        raise
    if worker.is_alive() and not _stop(worker):
        raise QueryTimeoutError(timeout_s, stuck=True)
    if worker.outcome.result is not None:
        return worker.outcome.result
    if worker.outcome.error is not None:
        raise worker.outcome.error
    raise QueryTimeoutError(timeout_s)
