"""Parse an entity's ``props:`` block: CURIE keys, values typed by the ontology.

An object property takes curated ids (checked later, across the folder); a datatype property takes a
string converted by its ``rdfs:range``, or ``{zh: ..., en: ...}`` for ``rdf:langString``. Any value may be
written ``{id|value: ..., quote: ...}`` to give that one fact its own evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.errors import InputError
from kg.iris import PREFIXES, entity
from kg.ontology import Vocabulary
from kg.sources import Fact, Quote
from kg.values import RangeError, literal_for
from kg.yamlsafe import LocatedDict, line_of

QuoteReader = Callable[[Any], Quote]


def resolve_curie(name: Any, path: Path, line: int, default_prefix: str) -> URIRef:
    """``prefix:local`` (or a bare ``local`` in ``default_prefix``) as an IRI."""
    if not isinstance(name, str) or not name:
        raise InputError(path, line, f"expected a term name, got {name!r}")
    prefix, sep, local = name.partition(":")
    if not sep:
        prefix, local = default_prefix, name
    if prefix not in PREFIXES:
        raise InputError(path, line, f"unknown prefix {prefix!r} in {name!r}")
    return PREFIXES[prefix][local]


def parse_facts(raw: Any, vocabulary: Vocabulary, path: Path, quote: QuoteReader, subject: str) -> list[Fact]:
    """The facts of one ``props:`` mapping, in file order."""
    if raw is None:
        return []
    if not isinstance(raw, LocatedDict):
        raise InputError(path, line_of(raw), "props must be a mapping of property: value")
    facts: list[Fact] = []
    for key, values in raw.items():
        line = line_of(key)
        predicate = resolve_curie(key, path, line, default_prefix="zq")
        for item in values if isinstance(values, list) else [values]:
            if predicate in vocabulary.object_properties:
                facts.append(_object_fact(predicate, item, path, quote, line))
            elif predicate in vocabulary.datatype_ranges:
                facts.extend(_literal_facts(predicate, vocabulary.datatype_ranges[predicate], item, path, quote, line))
            else:
                raise InputError(path, line, f"property {key!r} of {subject} is not declared in the ontology")
    return facts


def _object_fact(predicate: URIRef, item: Any, path: Path, quote: QuoteReader, line: int) -> Fact:
    evidence = None
    if isinstance(item, dict):
        _only(item, {"id", "quote"}, path)
        evidence = quote(item["quote"]) if "quote" in item else None
        item = item.get("id")
    if not isinstance(item, str) or "/" not in item:
        raise InputError(path, line_of(item, line), f"expected an entity id (kind/slug), got {item!r}")
    return Fact(predicate, entity(str(item)), evidence, line_of(item, line), ref=str(item))


def _literal_facts(
    predicate: URIRef, datatype: URIRef | None, item: Any, path: Path, quote: QuoteReader, line: int
) -> list[Fact]:
    evidence = None
    if isinstance(item, dict) and ("value" in item or "quote" in item):
        _only(item, {"value", "quote"}, path)
        evidence = quote(item["quote"]) if "quote" in item else None
        item = item.get("value")
    at = line_of(item, line)
    if isinstance(item, dict):
        _only(item, {"zh", "en"}, path)
        if datatype not in (RDF.langString, None):
            raise InputError(path, at, "a language map {zh:, en:} needs a property whose range is rdf:langString")
        return [
            Fact(predicate, Literal(str(text), lang=str(lang)), evidence, line_of(text, at))
            for lang, text in item.items()
        ]
    if not isinstance(item, str):
        raise InputError(path, at, f"expected a value, got {item!r}")
    try:
        return [Fact(predicate, literal_for(item, datatype), evidence, at)]
    except RangeError as err:
        raise InputError(path, at, str(err)) from None


def _only(block: dict[str, Any], allowed: set[str], path: Path) -> None:
    for key in block:
        if key not in allowed:
            raise InputError(path, line_of(key), f"unknown key {key!r}; expected one of {sorted(allowed)}")
