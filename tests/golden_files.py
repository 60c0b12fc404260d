"""Golden files compared byte-exact; on a mismatch the failure shows a graph diff (LinkML-style snapshots)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

GOLDEN = Path(__file__).resolve().parent / "golden"


def check_golden(name: str, actual: str, update: bool, rdf_format: str | None = None) -> None:
    """Compare ``actual`` with ``tests/golden/name``; rewrite it instead with ``--update-golden``."""
    path = GOLDEN / name
    if update or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not update:
            raise AssertionError(f"golden file {path} did not exist; written now, review and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    if actual == expected:
        return
    detail = _graph_diff(expected, actual, rdf_format) if rdf_format else ""
    raise AssertionError(f"{name} differs from its golden file (rerun with --update-golden if intended){detail}")


def _graph_diff(expected: str, actual: str, rdf_format: str) -> str:
    try:
        old = Graph().parse(data=expected, format=rdf_format)
        new = Graph().parse(data=actual, format=rdf_format)
    except Exception as err:  # a golden that no longer parses is itself the diff
        return f"\n(could not parse for a graph diff: {err})"
    _, only_old, only_new = graph_diff(to_isomorphic(old), to_isomorphic(new))
    lines = [f"- {' '.join(t.n3() for t in triple)}" for triple in sorted(only_old)][:40]
    lines += [f"+ {' '.join(t.n3() for t in triple)}" for triple in sorted(only_new)][:40]
    if not lines:
        return "\n(same triples; only the serialisation changed)"
    return "\nGraph diff (- golden, + now):\n" + "\n".join(lines)
