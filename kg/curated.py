"""Parse one curated facts file (YAML) against its article text and the ontology's vocabulary.

The format is documented in ``docs/design.md`` ("Curated facts format"). Every check here raises an
:class:`~kg.errors.InputError` with the line of the YAML that is wrong.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.iris import KINDS, entity
from kg.ontology import Vocabulary, bundled_vocabulary
from kg.props import parse_facts, resolve_curie
from kg.quotes import QuoteError, locate
from kg.sources import MAX_FILE_BYTES, Article, Entity, Quote
from kg.textfiles import read_text
from kg.yamlsafe import LocatedDict, line_of, load_yaml

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ENTITY_KEYS = frozenset({"id", "type", "label", "aliases", "quote", "comment", "note", "props"})
_ARTICLE_KEYS = _ENTITY_KEYS | {"text", "evidence_key", "sha256"}
_CURATED_KINDS = frozenset(KINDS) - {"evidence", "statement", "article"}
_BIDI_AND_SEPARATORS = set("\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def parse_article(facts_path: Path, yaml_text: str, text_path: Path) -> Article:
    """Check and parse ``facts_path``; quotes are placed in the text of ``text_path``."""
    doc = load_yaml(yaml_text, facts_path)
    if not isinstance(doc, dict):
        raise InputError(facts_path, 1, "expected a mapping with the keys 'article' and 'entities'")
    _only_keys(doc, {"article", "entities"}, facts_path)
    head = _mapping(doc.get("article"), "article", facts_path, line_of(doc, 1))
    _only_keys(head, _ARTICLE_KEYS, facts_path)
    article_id = _slug(head.get("id"), "article id", facts_path, head.line)
    if "text" in head and head["text"] != text_path.name:
        raise InputError(facts_path, line_of(head["text"]), f"text must be {text_path.name!r}, beside this file")
    text = read_text(text_path, MAX_FILE_BYTES)
    _check_digest(head, text, facts_path)
    key = _slug(head.get("evidence_key", article_id), "evidence_key", facts_path, head.line)
    ctx = _Context(facts_path, text, bundled_vocabulary())
    entities = [ctx.entity(head, f"article/{article_id}", default_type="schema:NewsArticle")]
    raw = doc.get("entities")
    if not isinstance(raw, list):
        raise InputError(facts_path, line_of(doc, 1), "'entities' must be a list")
    seen: dict[str, int] = {entities[0].id: head.line}
    for item in raw:
        block = _mapping(item, "entity", facts_path, line_of(raw, 1))
        _only_keys(block, _ENTITY_KEYS, facts_path)
        curated_id = ctx.curated_id(block)
        if curated_id in seen:
            first = seen[curated_id]
            raise InputError(facts_path, line_of(block["id"]), f"duplicate id {curated_id!r} (first on line {first})")
        seen[curated_id] = line_of(block["id"])
        entities.append(ctx.entity(block, curated_id))
    return Article(article_id, text, key, facts_path, text_path, entities)


class _Context:
    """What parsing one file needs: its path, the article text, the vocabulary."""

    def __init__(self, path: Path, text: str, vocabulary: Vocabulary) -> None:
        self.path, self.text, self.vocabulary = path, text, vocabulary

    def curated_id(self, block: LocatedDict) -> str:
        raw = block.get("id")
        if not isinstance(raw, str):
            raise InputError(self.path, block.line, "entity has no 'id'")
        kind, _, slug = raw.partition("/")
        if kind not in _CURATED_KINDS:
            kinds = ", ".join(sorted(_CURATED_KINDS))
            raise InputError(self.path, line_of(raw), f"id {raw!r} must start with a kind ({kinds}) and '/'")
        return f"{kind}/{_slug(slug, 'id', self.path, line_of(raw))}"

    def entity(self, block: LocatedDict, curated_id: str, default_type: str | None = None) -> Entity:
        label = _mapping(block.get("label"), "label", self.path, block.line)
        zh, en = (self.clean(label.get(lang), f"label.{lang}", label.line) for lang in ("zh", "en"))
        types = self.types(block.get("type", default_type), block.line)
        aliases = self.aliases(block.get("aliases"), zh)
        found = Entity(curated_id, types, zh, en, aliases, self.quotes(block), block.line)
        if "comment" in block:
            comment = _mapping(block["comment"], "comment", self.path, block.line)
            found.comment_en = self.clean(comment.get("en"), "comment.en", block.line)
        if "note" in block:
            found.note_en = self.clean(block["note"], "note", block.line)
        found.facts = parse_facts(block.get("props"), self.vocabulary, self.path, self.quote, curated_id)
        return found

    def types(self, raw: Any, line: int) -> list[Any]:
        names = raw if isinstance(raw, list) else [raw]
        if not names or names[0] is None:
            raise InputError(self.path, line, "entity has no 'type'")
        resolved = []
        for name in names:
            iri = resolve_curie(name, self.path, line_of(name, line), default_prefix="zq")
            if iri not in self.vocabulary.classes:
                close = _close(str(name), [_local(c) for c in self.vocabulary.classes])
                raise InputError(self.path, line_of(name, line), f"type {name!r} is not a class of the ontology{close}")
            resolved.append(iri)
        return resolved

    def aliases(self, raw: Any, label: str) -> list[str]:
        aliases = []
        for alias in raw or []:
            text = self.clean(alias, "alias", line_of(raw))
            if text not in self.text:
                raise InputError(self.path, line_of(alias), f"alias {text!r} does not occur in the article")
            if text != label and text not in aliases:
                aliases.append(text)
        return aliases

    def quotes(self, block: LocatedDict) -> list[Quote]:
        raw = block.get("quote")
        if raw is None:
            raise InputError(self.path, block.line, "entity has no 'quote': every fact needs its source words")
        return [self.quote(item) for item in (raw if isinstance(raw, list) else [raw])]

    def quote(self, raw: Any) -> Quote:
        line = line_of(raw)
        exact, start, end = raw, None, None
        if isinstance(raw, dict):
            exact = raw.get("exact")
            start, end = (self.offset(raw.get(k), k, line) for k in ("start", "end"))
        if not isinstance(exact, str):
            raise InputError(self.path, line, "a quote is a string or {exact: ..., start: N}")
        try:
            return Quote(locate(self.text, str(exact), start, end), line)
        except QuoteError as err:
            raise InputError(self.path, line, str(err)) from None

    def offset(self, raw: Any, name: str, line: int) -> int | None:
        if raw is None:
            return None
        if not re.fullmatch(r"\d+", str(raw)):
            raise InputError(self.path, line_of(raw, line), f"{name} must be a non-negative integer, not {raw!r}")
        return int(raw)

    def clean(self, raw: Any, what: str, line: int) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise InputError(self.path, line_of(raw, line), f"{what} is missing or empty")
        for char in raw:
            if unicodedata.category(char) == "Cc" or char in _BIDI_AND_SEPARATORS:
                problem = f"{what} contains the control character U+{ord(char):04X}"
                raise InputError(self.path, line_of(raw, line), problem)
        return unicodedata.normalize("NFC", str(raw))


def _check_digest(head: LocatedDict, text: str, path: Path) -> None:
    """An optional ``sha256:`` pins the article text: an edited copy is caught, not silently re-quoted."""
    expected = head.get("sha256")
    if expected is not None and hashlib.sha256(text.encode("utf-8")).hexdigest() != expected:
        raise InputError(path, line_of(expected), "the article text does not match its sha256 (was it edited?)")


def _slug(raw: Any, what: str, path: Path, line: int) -> str:
    if not isinstance(raw, str) or not _SLUG.fullmatch(raw):
        shown = repr(str(raw)) if raw is not None else "nothing"
        problem = f"{what} {shown} must be lowercase ASCII letters, digits and single hyphens"
        raise InputError(path, line_of(raw, line), problem)
    return str(raw)


def _mapping(raw: Any, what: str, path: Path, line: int) -> LocatedDict:
    if not isinstance(raw, LocatedDict):
        raise InputError(path, line_of(raw, line), f"{what} must be a mapping")
    return raw


def _only_keys(block: dict[str, Any], allowed: frozenset[str] | set[str], path: Path) -> None:
    for key in block:
        if key not in allowed:
            raise InputError(path, line_of(key), f"unknown key {key!r}{_close(key, sorted(allowed))}")


def _close(word: str, choices: list[str]) -> str:
    found = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean {found[0]!r}?" if found else ""


def _local(iri: Any) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def resolve_references(articles: list[Article]) -> None:
    """Every referenced id exists somewhere in the folder; a shared id says the same everywhere."""
    from kg.merge import check_references

    check_references(articles, entity)
