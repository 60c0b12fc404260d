"""Find a quote's exact span in an article, and the sentence around it.

Offsets are 0-based Unicode code points with an exclusive end, as Python slices them and as the W3C Web
Annotation Data Model's TextPositionSelector defines them (§4.2.2), so ``text[start:end] == exact``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

#: Characters that end a sentence in Chinese news text (and a line break, which ends a paragraph).
SENTENCE_ENDS = "。！？!?；;\n"


@dataclass(frozen=True)
class Span:
    """A verified quote: ``text[start:end] == exact``; ``prefix + exact + suffix`` is its sentence."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


class QuoteError(ValueError):
    """The quote cannot be placed in the text; the message says why."""


def locate(text: str, exact: str, start: int | None = None, end: int | None = None) -> Span:
    """Place ``exact`` in ``text``; ``start`` (and ``end``) pick one of several occurrences."""
    if not exact:
        raise QuoteError("the quote is empty")
    if start is not None:
        return _at(text, exact, start, end)
    first = text.find(exact)
    if first < 0:
        raise QuoteError(f"quote {exact!r} is not in the article; nearest: {nearest(text, exact)!r}")
    again = text.find(exact, first + 1)
    if again >= 0:
        count = text.count(exact)
        raise QuoteError(
            f"quote {exact!r} is ambiguous: it occurs {count} times (at {first}, {again}, ...); "
            "lengthen it or give start:"
        )
    return _span(text, first, first + len(exact))


def _at(text: str, exact: str, start: int, end: int | None) -> Span:
    stop = start + len(exact)
    if end is not None and end != stop:
        raise QuoteError(f"end {end} does not fit the quote: start {start} + {len(exact)} characters = {stop}")
    if start < 0 or stop > len(text):
        raise QuoteError(f"span {start}..{stop} is outside the article (0..{len(text)})")
    if text[start:stop] != exact:
        raise QuoteError(f"the text at {start}..{stop} is {text[start:stop]!r}, not the quote {exact!r}")
    return _span(text, start, stop)


def _span(text: str, start: int, end: int) -> Span:
    begin = start
    while begin > 0 and text[begin - 1] not in SENTENCE_ENDS:
        begin -= 1
    finish = end
    while finish < len(text) and text[finish - 1] not in SENTENCE_ENDS:
        finish += 1
    suffix = text[end:finish].rstrip("\n")
    return Span(text[start:end], start, end, text[begin:start], suffix)


def nearest(text: str, quote: str) -> str:
    """The passage of ``text`` most like ``quote``, to help a curator fix a typo.

    It aligns the longest run the two share (difflib) and shows as many characters as the quote has.
    """
    matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    match = matcher.find_longest_match(0, len(text), 0, len(quote))
    begin = max(0, min(match.a - match.b, len(text) - len(quote)))
    return text[begin : begin + len(quote)]
