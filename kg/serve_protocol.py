"""The SPARQL 1.1 Protocol side of ``/sparql``: from an HTTP request to a :class:`~kg.serve_answer.Job`.

Accepted (SPARQL 1.1 Protocol §2.1): ``GET ?query=``, ``POST`` form-encoded ``query=``, ``POST`` with
``Content-Type: application/sparql-query``. Updates (``update=``, ``application/sparql-update``) are
refused with 403. ``default-graph-uri`` / ``named-graph-uri`` are refused with 400 like ``FROM``: they
name graphs to load, and this endpoint serves one dataset. Extensions, as GraphDB / RDF4J spell them:
``infer=false`` queries the assertions only, and ``$name=VALUE`` binds ``?name`` (an N-Triples term or a
plain string), as ``kg query --param`` does. The body is read in chunks and refused with 413 past the
cap, whether or not ``Content-Length`` told the truth.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from kg.serve_answer import Answer, Job, message

FORMAT_PARAMS = ("format", "output", "results")
FALSE = frozenset({"false", "0", "no", "off"})


class BodyTooLargeError(Exception):
    """The request body is over the cap."""


async def body_of(request: Request, max_body: int) -> bytes:
    """The request body, or :class:`BodyTooLargeError` as soon as it passes ``max_body`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise BodyTooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body:
            raise BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


async def job_of(request: Request, *, max_body: int, max_rows: int, timeout_s: float) -> Job | Answer:
    """The job a ``/sparql`` request asks for, or the error :class:`Answer` to send instead."""
    params = list(request.query_params.multi_items())
    query: str | None = None
    if request.method == "POST":
        try:
            body = await body_of(request, max_body)
        except BodyTooLargeError:
            return message(413, f"the request body is over {max_body} bytes; send a shorter query")
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return message(400, "the request body is not UTF-8")
        if media == "application/sparql-update":
            return message(403, "refused: SPARQL Update is not accepted here; the endpoint is read-only")
        if media == "application/sparql-query":
            query = text
        elif media == "application/x-www-form-urlencoded":
            params += parse_qsl(text, keep_blank_values=True)
        else:
            return message(415, "POST a form (application/x-www-form-urlencoded) or a query "
                           f"(application/sparql-query), not {media or 'a body without Content-Type'}")
    return _job(params, query, request.headers.get("accept", ""), max_rows, timeout_s)


def _job(params: list[tuple[str, str]], query: str | None, accept: str, max_rows: int,
         timeout_s: float) -> Job | Answer:
    names = {name for name, _ in params}
    if "update" in names:
        return message(403, "refused: SPARQL Update is not accepted here; the endpoint is read-only")
    if names & {"default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"}:
        return message(400, "refused: default-graph-uri / named-graph-uri would load graphs from IRIs; "
                       "queries here run over the knowledge graph only")
    queries = [value for name, value in params if name == "query"]
    if query is not None:
        queries.append(query)
    if len(queries) != 1:
        return message(400, "give exactly one query (query=... or a body of type application/sparql-query)"
                       if queries else "no query: give query=... (SPARQL 1.1 Protocol)")
    infer = [value for name, value in params if name == "infer"]
    return Job(
        query=queries[0],
        bindings=tuple((name[1:], value) for name, value in params if name.startswith("$") and len(name) > 1),
        inferred=not (infer and infer[-1].strip().lower() in FALSE),
        accept=accept,
        formats=tuple(value for name, value in params if name in FORMAT_PARAMS),
        max_rows=max_rows,
        timeout_s=timeout_s,
    )
