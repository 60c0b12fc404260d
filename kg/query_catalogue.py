"""The bundled competency queries (``queries/*.rq``) and what their header comments declare.

A query file starts with ``# key: value`` comment lines (a line starting ``#`` plus three or more spaces
continues the previous value):

- ``question`` (English) and ``问题`` (Chinese): the question the query answers;
- ``answer``: the shape of the answer (columns, one row per what, order);
- ``param NAME (literal|name|iri|integer): what it is``: a value the caller must give (``--param NAME=VALUE``),
  bound with ``initBindings``, never spliced into the text; a ``name`` is bound as its search key
  (:func:`kg.name_key.name_key`), the form in which ``zq:nameKey`` holds every label and alias;
- ``example NAME=VALUE``: the value the tests (and ``kg query --list``) use.

Declaring parameters lets ``kg query`` say which one is missing before it loads the graph.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.assets import asset
from kg.errors import InputError
from kg.textfiles import read_text

PARAM_KINDS = ("literal", "name", "iri", "integer")
_KEY = re.compile(r"#\s?(question|问题|answer|param|example)\s*:?\s*(.*)$")
_CONTINUATION = re.compile(r"#\s{3,}(\S.*)$")
_PARAM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\((literal|name|iri|integer)\)\s*:\s*(.+)$")
_EXAMPLE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Param:
    """A declared parameter: its name, how its value is read (``literal``, ``iri``, ``integer``), its use."""

    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class QuerySpec:
    """One query: its text, where it came from (``origin`` is a path or ``-e``), and its header."""

    name: str
    text: str
    origin: str
    question: str = ""
    question_zh: str = ""
    answer: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)


def spec_from_text(text: str, name: str, origin: str) -> QuerySpec:
    """Read the header comment of ``text`` (see the module docstring)."""
    values: dict[str, list[str]] = {"question": [], "问题": [], "answer": []}
    params: dict[str, Param] = {}
    examples: dict[str, str] = {}
    for key, value, line in _header_entries(text):
        if key in values:
            values[key].append(value)
        elif key == "param":
            found = _PARAM.match(value)
            if not found:
                expected = "expected 'NAME (literal|name|iri|integer): what it is'"
                raise InputError(origin, line, f"bad param line {value!r}; {expected}")
            params[found.group(1)] = Param(found.group(1), found.group(2), found.group(3))
        else:
            example = _EXAMPLE.match(value)
            if not example:
                raise InputError(origin, line, f"bad example line {value!r}; expected 'NAME=VALUE'")
            examples[example.group(1)] = example.group(2)
    return QuerySpec(name, text, origin, " ".join(values["question"]), " ".join(values["问题"]),
                     " ".join(values["answer"]), params, examples)


def _header_entries(text: str) -> list[tuple[str, str, int]]:
    """(key, value with its continuation lines joined, line number) of each ``# key: value`` line of the
    leading comment block."""
    entries: list[tuple[str, str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        key = _KEY.match(stripped)
        more = _CONTINUATION.match(stripped)
        if key:
            entries.append((key.group(1), key.group(2).strip(), number))
        elif more and entries:
            previous_key, previous, first_line = entries[-1]
            entries[-1] = (previous_key, f"{previous} {more.group(1)}", first_line)
    return entries


@cache
def bundled() -> dict[str, QuerySpec]:
    """Every bundled query by name (the file name without ``.rq``), sorted by name."""
    folder = asset("queries")
    specs = {}
    for path in sorted(folder.glob("*.rq")):
        specs[path.stem] = spec_from_text(path.read_text(encoding="utf-8"), path.stem, str(path))
    return specs


def resolve(name_or_file: str) -> QuerySpec:
    """A bundled query by name, or a ``.rq`` file; an unknown name raises with the closest names."""
    queries = bundled()
    if name_or_file in queries:
        return queries[name_or_file]
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.exists():
        return _from_file(path)
    close = difflib.get_close_matches(name_or_file, list(queries), n=3, cutoff=0.5)
    close += [name for name in queries if name_or_file in name and name not in close][: 3 - len(close)]
    hint = f"; did you mean {', '.join(close)}?" if close else "; kg query --list shows them"
    raise InputError("kg query", None, f"no bundled query named {name_or_file!r}{hint}")


def _from_file(path: Path) -> QuerySpec:
    if path.is_dir():
        raise InputError(path, None, "a folder, not a query file (.rq)")
    if not path.is_file():
        raise InputError(path, None, "no such query file")
    return spec_from_text(read_text(path, 1_000_000), path.stem, str(path))


def is_query_name(text: str) -> bool:
    """True if ``text`` looks like a bundled query name rather than SPARQL (for :func:`kg.query`)."""
    return bool(_NAME.fullmatch(text))
