"""``/network`` of ``kg serve --store oxigraph:PATH``, drawn from the store by ``kg viz``'s own functions.

- ``/network?focus=NAME&depth=N``: the neighbourhood of one node (:func:`kg.viz_focus.focus_page`, the page
  ``kg viz --store PATH --focus NAME --depth N`` writes; 0.04 s on the 10,000-article store), on any store.
- ``/network``: on a store of at most :data:`WHOLE_BUDGET` asserted triples (a few hundred articles), the
  whole network (:func:`kg.viz_store.network_graph`, made once and kept); above it, a form asking for a
  focus with a few party organisations to start from: the whole 10,000-article store is a 116 MB page that
  takes 142 s and 3.7 GB to make (docs/viz.md).

A focus name made only of ``a-z`` and spaces (pinyin, English) makes ``kg viz`` read every node (minutes on
the big store), so above the budget such a name is refused with 400; any other name found in the names of
more than :data:`kg.viz_focus.MAX_CANDIDATES` nodes is refused as ambiguous (404). One page is made at a time.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlencode

import anyio
import jinja2
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kg.assets import asset
from kg.serve_html import CSP
from kg.serve_store_open import StoreOnDisk
from kg.viz_store import OpenedGraph, network_graph, run

#: Above this many asserted triples ``/network`` asks for a focus instead of drawing everything.
WHOLE_BUDGET = 200_000
MAX_DEPTH = 3
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
_LETTERS = re.compile(r"[a-z ]+")


@cache
def _environment() -> jinja2.Environment:
    folders = [str(asset("viz", "serve-store")), str(asset("viz", "serve"))]  # base.html is the server's
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folders), autoescape=True,
                              undefined=jinja2.StrictUndefined)


class StoreNetwork:
    """Makes the pages of ``/network`` from a store on disk (in the server process, read-only)."""

    def __init__(self, store: StoreOnDisk, *, budget: int = WHOLE_BUDGET) -> None:
        self.store, self.big = store, store.state.asserted > budget
        self._whole: str | None = None
        self._lock = threading.Lock()

    def opened(self) -> OpenedGraph:
        return OpenedGraph(self.store.handle(), self.store.state.inferred is not None)

    def page(self, focus: str | None, depth_text: str | None) -> tuple[int, str, bool]:
        """The status and HTML of ``/network`` with these parameters, and whether it is a network page (which
        carries its own Content-Security-Policy) rather than the form."""
        if depth_text is not None and not (depth_text.isascii() and depth_text.isdigit() and len(depth_text) <= 2
                                              and int(depth_text) <= MAX_DEPTH):
            return 400, self.form(focus or "", f"depth must be a whole number from 0 to {MAX_DEPTH}"), False
        depth = int(depth_text) if depth_text is not None else 1
        if focus is None or not focus.strip():
            return (200, self.form("", ""), False) if self.big else (200, self.whole(), True)
        if self.big and _LETTERS.fullmatch(focus.strip().lower()):
            return 400, self.form(focus, "a name of letters only would read every node of this store: give the "
                                         "Chinese name, the IRI or the CURIE"), False
        from kg.viz_focus import focus_page

        try:
            return 200, focus_page(self.opened(), focus, depth=depth), True
        except ValueError as err:  # no such node, or several: the message lists candidates
            return 404, self.form(focus, str(err)), False

    def whole(self) -> str:
        with self._lock:
            if self._whole is None:
                from kg.viz import network_page

                self._whole = network_page(network_graph(self.opened()))
            return self._whole

    def form(self, focus: str, message: str) -> str:
        """The page asking for a focus, with ``message`` (why the last one was refused) if any."""
        return _environment().get_template("network-focus.html").render(
            focus=focus, message=message, depth=1, max_depth=MAX_DEPTH, triples=self.store.state.asserted,
            examples=self.examples())

    def examples(self) -> list[dict[str, str]]:
        """A few party organisations to focus on (their zh labels)."""
        from kg.serve_store_pages import store_query

        opened = self.opened()
        rows: Any = run(opened, store_query("network-examples.rq"), inferred=opened.has_inferred)
        return [{"label": row["label"].value, "href": "/network?" + urlencode({"focus": row["node"].value})}
                for row in rows if isinstance(row["node"], ox.NamedNode)]


def network_route(network: StoreNetwork) -> Callable[[Request], Any]:
    """The handler of ``/network``: one page is made at a time, in a worker thread."""
    limiter = anyio.CapacityLimiter(1)

    async def handle(request: Request) -> Response:
        params = request.query_params
        status, page, drawn = await anyio.to_thread.run_sync(network.page, params.get("focus"),
                                                             params.get("depth"), limiter=limiter)
        headers = HEADERS if drawn else {**HEADERS, "Content-Security-Policy": CSP}
        return HTMLResponse(page, status_code=status, headers=headers)

    return handle
