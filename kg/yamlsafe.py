"""A YAML reader for curated facts that keeps line numbers and refuses surprises.

It composes the YAML node tree with PyYAML's *safe* loader and converts it itself, so that:

- every scalar stays a string (:class:`Located`): no YAML 1.1 booleans (``no`` -> False), no timestamps, no
  octal; the curated-data loader converts values by the ontology's declared ``rdfs:range`` instead;
- every string, mapping and list remembers the line it came from, for ``FILE:LINE`` messages;
- duplicate keys, explicit tags (``!!python/object/apply`` and friends) and anchors/aliases (the
  "billion laughs" expansion) are errors, never executed or expanded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kg.errors import InputError

_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "value")
)


class Located(str):
    """A string scalar with the line (1-based) it was read from."""

    line: int

    def __new__(cls, value: str, line: int) -> Located:
        made = super().__new__(cls, value)
        made.line = line
        return made


class LocatedDict(dict[str, Any]):
    """A mapping with its own line; keys are :class:`Located` strings."""

    line: int = 0


class LocatedList(list[Any]):
    """A sequence with its own line."""

    line: int = 0


def line_of(value: object, default: int = 0) -> int:
    """The source line of a value read by :func:`load_yaml`."""
    return int(getattr(value, "line", default))


#: libyaml's safe loader when PyYAML was built with it (several times faster: pure-Python scanning was most of
#: the time of loading a thousand articles), else the pure-Python one.
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, path: Path) -> Any:
    """Parse one YAML document into :class:`Located` values, or raise :class:`InputError`.

    libyaml reads well-formed files; anything it refuses, or that holds a character the pure-Python reader
    refuses, is read again by the pure-Python loader, whose messages (with the opening line of an unclosed
    quote) are the ones users get."""
    if _FAST_LOADER is not yaml.SafeLoader and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            return _converted(text, path, _FAST_LOADER)
        except InputError:
            pass  # read again below for the pure-Python loader's message
    return _converted(text, path, yaml.SafeLoader)


def _converted(text: str, path: Path, loader: type[yaml.SafeLoader]) -> Any:
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1 if event.start_mark else 1
                raise InputError(path, line, "YAML anchors and aliases are not allowed in curated data")
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        at, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError(path, at, f"malformed YAML: {_explain(err)}", column) from None
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n") + 1
        raise InputError(path, line, f"control character U+{err.character:04X} is not allowed in YAML") from None
    except yaml.YAMLError as err:
        raise InputError(path, None, f"malformed YAML: {err}") from None
    if root is None:
        raise InputError(path, 1, "the file is empty")
    return _convert(root, path, set())


def _explain(err: yaml.MarkedYAMLError) -> str:
    """The problem, and where the construct it broke began (an unclosed quote's opening line)."""
    problem = err.problem or err.context or "unreadable"
    if err.context and err.context_mark and err.problem_mark and err.context_mark.line != err.problem_mark.line:
        return f"{problem} ({err.context} started on line {err.context_mark.line + 1})"
    return problem


def _convert(node: yaml.Node, path: Path, seen: set[int]) -> Any:
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise InputError(path, line, "YAML anchors and aliases are not allowed in curated data")
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        raise InputError(path, line, f"YAML tag {node.tag!r} is not allowed (plain data only)")
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag.endswith(":null") and node.value in ("", "~", "null") else Located(
            node.value, line
        )
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList(_convert(item, path, seen) for item in node.value)
        items.line = line
        return items
    assert isinstance(node, yaml.MappingNode)
    mapping = LocatedDict()
    mapping.line = line
    for key_node, value_node in node.value:
        key = _convert(key_node, path, seen)
        if not isinstance(key, str):
            raise InputError(path, key_node.start_mark.line + 1, "a mapping key must be a plain string")
        if key in mapping:
            raise InputError(path, line_of(key), f"duplicate key {key!r}")
        mapping[key] = _convert(value_node, path, seen)
    return mapping
