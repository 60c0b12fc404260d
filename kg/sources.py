"""Read a folder of articles: each ``<id>.txt`` (the verbatim text) beside ``<id>.yaml`` (curated facts).

This stage turns files into checked, typed records (:class:`Article`, :class:`Entity`); every mistake is an
:class:`~kg.errors.InputError` naming the file and line. It does not build RDF (that is :mod:`kg.build`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from kg.errors import InputError
from kg.quotes import Span
from kg.textfiles import read_text

#: Largest text or YAML file read, checked before parsing (a guard against accidental or hostile input).
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Quote:
    """A verified quote and the line of the curated file that gave it."""

    span: Span
    line: int


@dataclass(frozen=True)
class Fact:
    """One property value of an entity, optionally with its own quote."""

    predicate: URIRef
    value: URIRef | Literal
    quote: Quote | None
    line: int
    ref: str | None = None


@dataclass
class Entity:
    """A curated entity: its id (``kind/slug``), types, labels, evidence and facts."""

    id: str
    types: list[URIRef]
    label_zh: str
    label_en: str
    aliases: list[str]
    quotes: list[Quote]
    line: int
    comment_en: str | None = None
    note_en: str | None = None
    facts: list[Fact] = field(default_factory=list)


@dataclass
class Article:
    """One article: its text, the curated file it came from, and its entities."""

    id: str
    text: str
    evidence_key: str
    facts_path: Path
    text_path: Path
    entities: list[Entity]


def article_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """The ``(<id>.yaml, <id>.txt)`` pairs of ``folder``, sorted by name; a lone file is an error."""
    if not folder.is_dir():
        raise InputError(folder, None, "not a folder of articles")
    yamls = sorted(folder.glob("*.yaml"))
    if not yamls:
        raise InputError(folder, None, "no curated facts file (*.yaml) in this folder")
    for text in sorted(folder.glob("*.txt")):
        if not text.with_suffix(".yaml").exists():
            raise InputError(text, None, f"article text without its curated facts file {text.stem}.yaml")
    return [(path, path.with_suffix(".txt")) for path in yamls]


def load_sources(folder: Path) -> list[Article]:
    """Read and check every article of ``folder`` (ids resolve across the whole folder)."""
    from kg.curated import parse_article, resolve_references

    articles = [
        parse_article(facts, read_text(facts, MAX_FILE_BYTES), text) for facts, text in article_pairs(folder)
    ]
    resolve_references(articles)
    return articles
