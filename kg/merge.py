"""Checks across all articles of a folder: references resolve, shared ids agree.

Articles may name the same entity (same id): they merge into one node. If they disagree on its labels or
types, the build stops and names both places, rather than silently publishing two names for one thing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from rdflib import URIRef

from kg.errors import InputError
from kg.sources import Article, Entity


def check_references(articles: list[Article], iri_of: Callable[[str], URIRef]) -> None:
    """Raise :class:`InputError` for an unknown id or a contradiction between two articles."""
    first: dict[str, tuple[Article, Entity]] = {}
    for article in articles:
        for found in article.entities:
            if found.id in first:
                _same(first[found.id], (article, found))
            else:
                first[found.id] = (article, found)
    known = sorted(first)
    for article in articles:
        for found in article.entities:
            for fact in found.facts:
                if fact.ref is not None and fact.ref not in first:
                    close = difflib.get_close_matches(fact.ref, known, n=1, cutoff=0.5)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    raise InputError(article.facts_path, fact.line, f"unknown entity id {fact.ref!r}{hint}")


def _same(earlier: tuple[Article, Entity], later: tuple[Article, Entity]) -> None:
    (a, x), (b, y) = earlier, later
    for what, left, right in (
        ("zh label", x.label_zh, y.label_zh),
        ("en label", x.label_en, y.label_en),
        ("types", sorted(x.types), sorted(y.types)),
    ):
        if left != right:
            raise InputError(
                b.facts_path, y.line,
                f"{y.id}: {what} {right!r} contradicts {left!r} at {a.facts_path.name}:{x.line}",
            )
