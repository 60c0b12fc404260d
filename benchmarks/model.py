"""The pieces of one synthetic article: its text with every quoted span recorded, and its curated entities.

A quote is recorded where it is written into the text, so its offset is known; when the article is rendered
a quote whose words occur more than once gets ``start:`` (the curated format's way to disambiguate), one
that occurs once is written bare, as a curator would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Quote:
    """Words of the text and where they start (0-based code points)."""

    exact: str
    start: int


class Text:
    """An article text written left to right; :meth:`quote` writes words and remembers their span."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def put(self, *words: str) -> None:
        """Write ``words`` (no quote needed)."""
        for chunk in words:
            self.parts.append(chunk)
            self.length += len(chunk)

    def quote(self, words: str) -> Quote:
        """Write ``words`` and return them as a quote."""
        found = Quote(words, self.length)
        self.put(words)
        return found

    def join(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True)
class Ref:
    """An object property value: an entity id, optionally with its own quote."""

    id: str
    quote: Quote | None = None


@dataclass(frozen=True)
class Value:
    """A datatype property value (a string typed by the property's range), optionally with its own quote."""

    value: str
    quote: Quote | None = None


@dataclass(frozen=True)
class Lang:
    """An ``rdf:langString`` value given in Chinese and English."""

    zh: str
    en: str
    quote: Quote | None = None


PropValue = Ref | Value | Lang


@dataclass
class Entity:
    """One curated entity block."""

    id: str
    type: str
    zh: str
    en: str
    quotes: list[Quote] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    props: list[tuple[str, PropValue]] = field(default_factory=list)
    note: str | None = None

    def cite(self, *quotes: Quote) -> Entity:
        """Add quotes (each span once)."""
        for quote in quotes:
            if quote not in self.quotes:
                self.quotes.append(quote)
        return self

    def prop(self, key: str, value: PropValue) -> Entity:
        """Add a property value (each value once)."""
        if (key, value) not in self.props:
            self.props.append((key, value))
        return self


def s(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def render_quote(quote: Quote, text: str) -> str:
    """Bare if the words occur once in ``text``, else with ``start``."""
    if text.count(quote.exact) == 1:
        return s(quote.exact)
    return f"{{exact: {s(quote.exact)}, start: {quote.start}}}"


def render_value(value: PropValue, text: str) -> str:
    """One property value in flow style."""
    if isinstance(value, Ref):
        inner = value.id if value.quote is None else f"{{id: {value.id}, quote: {render_quote(value.quote, text)}}}"
        return inner
    if isinstance(value, Value):
        if value.quote is None:
            return s(value.value)
        return f"{{value: {s(value.value)}, quote: {render_quote(value.quote, text)}}}"
    lang = f"{{zh: {s(value.zh)}, en: {s(value.en)}}}"
    return lang if value.quote is None else f"{{value: {lang}, quote: {render_quote(value.quote, text)}}}"


def render_entity(entity: Entity, text: str, indent: str = "  ") -> list[str]:
    """The YAML lines of one entity (under ``entities:``, or the ``article:`` block without the dash)."""
    head = f"{indent}- " if indent else ""
    pad = f"{indent}  " if indent else "  "
    lines = [f"{head}id: {entity.id}" if indent else f"{pad}id: {entity.id}", f"{pad}type: {entity.type}",
             f"{pad}label: {{zh: {s(entity.zh)}, en: {s(entity.en)}}}"]
    if entity.aliases:
        lines.append(f"{pad}aliases: [{', '.join(s(a) for a in entity.aliases)}]")
    quotes = [render_quote(q, text) for q in entity.quotes]
    lines.append(f"{pad}quote: {quotes[0]}" if len(quotes) == 1 else f"{pad}quote: [{', '.join(quotes)}]")
    if entity.note:
        lines.append(f"{pad}note: {s(entity.note)}")
    if entity.props:
        lines.append(f"{pad}props:")
        grouped: dict[str, list[str]] = {}
        for key, value in entity.props:
            grouped.setdefault(key, []).append(render_value(value, text))
        for key, values in grouped.items():
            shown = values[0] if len(values) == 1 else f"[{', '.join(values)}]"
            lines.append(f"{pad}  {key}: {shown}")
    return lines
