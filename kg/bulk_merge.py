"""The cross-article checks of :mod:`kg.merge`, one article at a time, keeping only what they compare.

:func:`kg.merge.check_references` needs every article at once: it compares each id's first curated block with
every later one (labels, types) and then resolves every reference against all ids. Holding every article
(their texts, quotes, facts) is what a bulk build cannot afford, but the checks only ever look at a few facts
per id. So this keeps, per id, its first place and the facts compared (``zh``/``en`` labels, types), and the
references not yet resolved; a contradiction is then reported by :func:`kg.merge.check_references` itself on
two one-entity stubs, so the message is the normal path's, word for word.

Order of errors: the normal path parses every article before comparing any, so a later article's parse
error wins over an earlier contradiction, and every contradiction wins over every unknown id. The stream
keeps that order: :meth:`MergeCheck.add` only *records* the first contradiction, and :meth:`MergeCheck.finish`
raises it (or the first unknown id) once all articles have parsed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from kg.errors import InputError
from kg.iris import entity
from kg.merge import check_references
from kg.sources import Article, Entity


@dataclass(frozen=True)
class _Seen:
    """What the merge compares of an id's first curated block, and where that block is."""

    article: Article  # a stub: paths only, no text or entities
    line: int
    label_zh: str
    label_en: str
    types: tuple[URIRef, ...]

    def stub(self, curated_id: str) -> Entity:
        """A one-entity stand-in with the compared facts, for :func:`kg.merge.check_references`."""
        return Entity(curated_id, list(self.types), self.label_zh, self.label_en, [], [], self.line)


class MergeCheck:
    """The streaming counterpart of :func:`kg.merge.check_references` (same errors, same order)."""

    def __init__(self) -> None:
        self.first: dict[str, _Seen] = {}
        self.pending: list[tuple[str, Path, int]] = []  # references to ids not seen yet, in article order
        self.contradiction: InputError | None = None

    def add(self, article: Article) -> None:
        """Note ``article``'s ids and references; remember (do not raise) the first contradiction."""
        shell = Article(article.id, "", article.evidence_key, article.facts_path, article.text_path, [])
        for found in article.entities:
            seen = _Seen(shell, found.line, found.label_zh, found.label_en, tuple(found.types))
            earlier = self.first.get(found.id)
            if earlier is None:
                self.first[found.id] = seen
            elif self.contradiction is None:
                self.contradiction = _contradiction(found.id, earlier, seen)
        for found in article.entities:
            for fact in found.facts:
                if fact.ref is not None and fact.ref not in self.first:
                    self.pending.append((fact.ref, article.facts_path, fact.line))

    @property
    def failed(self) -> bool:
        """Whether a contradiction was found (the rest of the stream need only be parsed, not built)."""
        return self.contradiction is not None

    def finish(self) -> None:
        """Raise the first contradiction, else the first reference no article defines."""
        if self.contradiction is not None:
            raise self.contradiction
        for ref, path, line in self.pending:
            if ref not in self.first:
                # The message of kg.merge.check_references (tests/test_bulk.py compares the two).
                close = difflib.get_close_matches(ref, sorted(self.first), n=1, cutoff=0.5)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise InputError(path, line, f"unknown entity id {ref!r}{hint}")


def _contradiction(curated_id: str, earlier: _Seen, later: _Seen) -> InputError | None:
    """The error :func:`kg.merge.check_references` raises for these two blocks, or None if they agree."""
    if (earlier.label_zh, earlier.label_en, sorted(earlier.types)) == (
            later.label_zh, later.label_en, sorted(later.types)):
        return None
    first = Article(earlier.article.id, "", "", earlier.article.facts_path, earlier.article.text_path,
                    [earlier.stub(curated_id)])
    second = Article(later.article.id, "", "", later.article.facts_path, later.article.text_path,
                     [later.stub(curated_id)])
    try:
        check_references([first, second], entity)
    except InputError as err:
        return err
    return None
