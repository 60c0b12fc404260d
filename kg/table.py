"""A readable terminal table: columns aligned by display width (CJK characters take two cells), long values
wrapped to fit the terminal.

Widths follow Unicode East Asian Width (UAX #11): ``W`` and ``F`` characters take two cells, combining marks
and format characters none, everything else (including ambiguous ``A`` characters such as “”) one, as
most terminals render them outside CJK locales.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

SEPARATOR = " | "
MIN_WIDTH = 6
_ATOM = re.compile(r"\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|.", re.DOTALL)


def char_width(char: str) -> int:
    """Terminal cells taken by one character."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Terminal cells taken by ``text`` (one line)."""
    return sum(char_width(char) for char in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` cells."""
    return text + " " * max(0, width - display_width(text))


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells: breaks at spaces in Latin text, between any two CJK
    characters, and inside a word only when the word alone is too wide."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_line(paragraph, width))
    return lines


def _wrap_line(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for atom in _ATOM.findall(text):
        if display_width(current + atom.rstrip()) <= width:
            current += atom
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = "" if atom.isspace() else atom
        while display_width(current) > width:
            head = _fit(current, width)
            lines.append(head)
            current = current[len(head):]
    lines.append(current.rstrip())
    return lines


def _fit(text: str, width: int) -> str:
    """The longest prefix of ``text`` that fits in ``width`` cells (at least one character)."""
    used = 0
    for index, char in enumerate(text):
        used += char_width(char)
        if used > width:
            return text[: max(index, 1)]
    return text


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], total: int) -> list[int]:
    """Natural widths, the widest shrunk one cell at a time until the table fits ``total`` cells (a column
    keeps at least :data:`MIN_WIDTH` cells; headers wrap like values)."""
    widths = [display_width(name) for name in header]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], *(display_width(line) for line in cell.split("\n")))
    floor = [min(width, MIN_WIDTH) for width in widths]
    budget = total - len(SEPARATOR) * (len(widths) - 1)
    while sum(widths) > budget:
        shrinkable = [i for i, width in enumerate(widths) if width > floor[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def render(header: Sequence[str], rows: Sequence[Sequence[str]], total: int = 120) -> str:
    """The table as text, ending with a row count; rows are separated by a rule when any cell wraps."""
    widths = column_widths(header, rows, total)
    rule = "-+-".join("-" * width for width in widths)
    wrapped = [[wrap(cell, width) for cell, width in zip(row, widths, strict=True)] for row in rows]
    multi = any(len(cell) > 1 for row in wrapped for cell in row)
    out = [*_line([wrap(name, width) for name, width in zip(header, widths, strict=True)], widths), rule]
    for number, row in enumerate(wrapped):
        if multi and number:
            out.append(rule)
        out.extend(_line(row, widths))
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _line(cells: list[list[str]], widths: list[int]) -> list[str]:
    height = max((len(cell) for cell in cells), default=1)
    lines = []
    for index in range(height):
        parts = [pad(cell[index] if index < len(cell) else "", width)
                 for cell, width in zip(cells, widths, strict=True)]
        lines.append(SEPARATOR.join(parts).rstrip())
    return lines
