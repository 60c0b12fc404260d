"""``kg push``: upload the named graphs of the built dataset to a SPARQL server.

Each graph goes up in chunks (:mod:`kg.push_chunks`) with the SPARQL 1.1 Graph Store HTTP Protocol (``PUT``
the first chunk, ``POST`` the rest), or, where the server has no Graph Store endpoint, as SPARQL 1.1 Update
``INSERT DATA`` batches.

``--replace`` never shows a half-replaced graph. Every graph is first uploaded into a staging graph
(``urn:kg-push:<run>:<n>``); once all are up, their triple counts are checked against what was sent, and one
SPARQL Update request swaps them all in (``MOVE <staging> TO <graph>``, one per graph). A server applies one
update request as a whole (SPARQL 1.1 Update §2.2; Virtuoso runs it as one transaction: readers polling a
graph during a 16 s ``MOVE`` of 400,000 triples saw only the old or the new count), so readers see the old
graphs or the new ones. A failure before the swap drops the staging graphs and leaves every graph as it was.
Why not a plain ``PUT`` per graph: Virtuoso's ``PUT`` is not atomic (an N-Triples body with a bad third line
left the graph with its old triples gone and the first two new ones in), and a chunked graph needs several
requests anyway.

The swap is retried only after checking that it did not happen: Virtuoso's ``MOVE`` from a graph that no
longer exists empties the target without an error, so resending a swap that had in fact been applied would
wipe the graph. Before each retry the staging graphs are counted again; if they are empty, the first
attempt went through.

``--append`` posts the chunks straight into the graphs: adding a triple twice changes nothing, so pushing
again completes an interrupted append (blank nodes excepted: each request mints new ones).
"""

from __future__ import annotations

import time
import uuid

from rdflib import URIRef

from kg.push_chunks import BODY_FORMATS, Chunk, chunks_of
from kg.push_http import Remote, RemoteError
from kg.push_plan import GraphPlan, Outcome, Progress, Target

NO_GRAPH_STORE = frozenset({404, 405, 501})  # the Graph Store URL is not one: fall back to SPARQL Update


class PushError(Exception):
    """The push stopped; ``str()`` says which graph and chunk, why, and what state the server is in."""


class Pusher:
    """Runs one push over an open :class:`~kg.push_http.Remote`; see the module docstring for the protocol."""

    def __init__(self, remote: Remote, target: Target, progress: Progress) -> None:
        self.remote, self.target, self.progress = remote, target, progress
        self.gsp = target.gsp
        self.gsp_confirmed = False
        self.run_id = uuid.uuid4().hex[:12]
        self.staged: dict[URIRef, URIRef] = {}  # target graph -> its staging graph
        self.swap_unknown = False  # a swap was sent and no answer came back
        self.requests = 0

    def push(self, plans: list[GraphPlan]) -> Outcome:
        """Upload every graph, then (``--replace``) swap them in; :class:`PushError` if that fails."""
        started = time.perf_counter()
        outcome = Outcome(plans)
        try:
            for index, plan in enumerate(plans, start=1):
                self._upload(plan, index, len(plans))
            if self.target.replace:
                self._swap(plans)
        except RemoteError as err:
            raise PushError(self._failure(str(err))) from None
        except KeyboardInterrupt:
            raise PushError(self._failure("interrupted")) from None
        outcome.requests, outcome.seconds = self.requests, time.perf_counter() - started
        outcome.via = "Graph Store" if self.gsp else "SPARQL Update"
        try:
            outcome.counts = self.counts([plan.name for plan in plans])
        except RemoteError as err:
            self.progress.note(f"kg push: pushed, but could not count the graphs on the server: {err}", warning=True)
        return outcome

    def _upload(self, plan: GraphPlan, index: int, total: int) -> None:
        """All chunks of one graph, into its staging graph (replace) or the graph itself (append)."""
        destination = URIRef(f"urn:kg-push:{self.run_id}:{index}") if self.target.replace else plan.name
        if self.target.replace:
            self.staged[plan.name] = destination
        chunks = chunks_of(plan.lines, self.target.max_bytes, None if self.gsp else self.target.batch_triples)
        started = time.perf_counter()
        for number, chunk in enumerate(chunks, start=1):
            label = f"graph <{plan.name}> ({index}/{total}): chunk {number}/{len(chunks)} " \
                    f"({chunk.triples:,} triples, {chunk.size:,} bytes)"
            try:
                self._send(destination, chunk, first=number == 1 and self.target.replace, label=label)
            except RemoteError as err:
                if self.gsp is None or self.gsp_confirmed or err.status not in NO_GRAPH_STORE:
                    raise
                self.progress.note(f"kg push: {self.gsp} is not a Graph Store endpoint ({err}); "
                                   "using SPARQL Update INSERT DATA instead", warning=True)
                self.gsp = None
                return self._upload(plan, index, total)
            self.progress.advance(chunk.size)
        self.progress.note(f"{'staged' if self.target.replace else 'added'} <{plan.name}>: "
                           f"{len(plan.lines):,} triples in {len(chunks)} request(s), "
                           f"{time.perf_counter() - started:.2f} s")
        return None

    def _send(self, graph: URIRef, chunk: Chunk, *, first: bool, label: str) -> None:
        """One chunk: GSP ``PUT`` (first of a staging graph) or ``POST``; else ``INSERT DATA``."""
        self.requests += 1
        if self.gsp is not None:
            self.remote.send("PUT" if first else "POST", self.gsp, label, params={"graph": str(graph)},
                             content=chunk.body(self.target.body),
                             headers={"Content-Type": BODY_FORMATS[self.target.body]})
            self.gsp_confirmed = True
            return
        # Virtuoso refuses blank nodes in INSERT DATA (SP031 "not allowed in a constant clause"); a template
        # with an empty WHERE inserts the same triples, one fresh node per label, in every SPARQL 1.1 server.
        form = "INSERT {{ GRAPH <{}> {{\n{}}} }} WHERE {{}}" if chunk.has_blank_nodes else \
            "INSERT DATA {{ GRAPH <{}> {{\n{}}} }}"
        insert = form.format(graph, chunk.ntriples())
        self.update(f"DROP SILENT GRAPH <{graph}> ;\n{insert}" if first else insert, label)

    def update(self, text: str, label: str, *, retries: int | None = None) -> None:
        """Send a SPARQL Update request (``application/sparql-update``: no form-encoding of the data)."""
        self.remote.send("POST", self.target.update, label, retries=retries, content=text.encode("utf-8"),
                         headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    def _swap(self, plans: list[GraphPlan]) -> None:
        """Check the staged counts, then move every staging graph onto its target in one request."""
        expected = {self.staged[plan.name]: len(plan.lines) for plan in plans}
        _check_counts(self.counts(list(expected)), expected)
        operations = [f"MOVE <{staging}> TO <{name}>" for name, staging in self.staged.items()]
        policy = self.remote.policy
        for attempt in range(policy.retries + 1):
            if attempt:
                time.sleep(policy.backoff_s * 2 ** (attempt - 1))
                if self._swapped(expected):
                    break
            try:
                self.requests += 1
                self.swap_unknown = True
                self.update(" ;\n".join(operations), f"swapping {len(operations)} graph(s) in", retries=0)
                break
            except RemoteError as err:
                self.swap_unknown = err.status is None  # an HTTP answer means the server refused it whole
                if attempt == policy.retries or (err.status is not None and err.status < 500):
                    raise
        self.swap_unknown = False
        self.staged.clear()
        self.progress.note(f"swapped in {len(operations)} graph(s) in one update request")

    def _swapped(self, expected: dict[URIRef, int]) -> bool:
        """After a swap whose answer was lost: True if it went through (staging graphs gone), False if not."""
        found = self.counts(list(expected))
        if not any(found.values()):
            return True
        _check_counts(found, expected)
        self.swap_unknown = False
        return False

    def counts(self, graphs: list[URIRef]) -> dict[URIRef, int]:
        """The server's triple count of each graph (0 for a graph it does not have), in one query."""
        if not graphs:
            return {}
        values = " ".join(f"<{graph}>" for graph in graphs)
        query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        response = self.remote.send("POST", self.target.query, "counting the pushed triples",
                                    data={"query": query}, headers={"Accept": "application/sparql-results+json"})
        found = {URIRef(row["g"]["value"]): int(row["n"]["value"]) for row in response.json()["results"]["bindings"]}
        return {graph: found.get(graph, 0) for graph in graphs}

    def _failure(self, problem: str) -> str:
        """The error message, after a best-effort drop of the staging graphs."""
        if not self.target.replace:
            return f"{problem}\nkg push: --append: the chunks before this one are on the server; push again to " \
                   "complete (adding a triple twice changes nothing)"
        if self.swap_unknown:
            staging = ", ".join(f"<{graph}>" for graph in self.staged.values())
            return f"{problem}\nkg push: the swap was sent but its answer was lost: the server holds either all " \
                   "the old graphs or all the new ones (never a mix); push again with --replace to be sure, and " \
                   f"drop any staging graph left ({staging})"
        left = []
        for staging in self.staged.values():
            try:
                self.update(f"DROP SILENT GRAPH <{staging}>", "dropping a staging graph", retries=0)
            except RemoteError:
                left.append(f"<{staging}>")
        message = f"{problem}\nkg push: nothing was replaced: every graph on the server is as it was"
        if left:
            message += "\nkg push: could not drop the staging graph(s) " + ", ".join(left) + \
                       " (drop them with SPARQL Update: DROP SILENT GRAPH <...>)"
        return message


def _check_counts(found: dict[URIRef, int], expected: dict[URIRef, int]) -> None:
    for staging, count in expected.items():
        if found.get(staging) != count:
            raise RemoteError(f"staging graph <{staging}> holds {found.get(staging, 0):,} triples on the server, "
                              f"{count:,} were sent; not swapping it in")
