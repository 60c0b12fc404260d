"""Find the project's data folders, installed or in a checkout.

In a wheel, ``ontology/ queries/ viz/ data/`` ride inside the package as ``kg/_assets/...`` (hatchling
``force-include``, as rdflib-endpoint does); in a checkout or an editable install they sit beside ``kg/``.
Nothing here depends on the current folder, and nothing ever writes into the package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

ASSET_ROOTS = ("ontology", "queries", "viz", "data")


def asset(root: str, *parts: str) -> Path:
    """The path of ``root/parts...`` (``root`` is one of :data:`ASSET_ROOTS`)."""
    if root not in ASSET_ROOTS:
        raise ValueError(f"unknown asset folder {root!r}")
    installed = Path(str(resources.files("kg"))) / "_assets" / root
    base = installed if installed.is_dir() else Path(__file__).resolve().parent.parent / root
    return base.joinpath(*parts)


def bundled_sources() -> Path:
    """The folder of the bundled article(s)."""
    return asset("data", "articles")
