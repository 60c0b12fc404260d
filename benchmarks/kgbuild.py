"""``kg`` with the build reasoning by :func:`kg.closure.rules_closure`: ``python -m benchmarks.kgbuild build ...``.

A measurement shim only: it times what ``kg build`` would cost with the one-line change docs/scale.md
proposes, before that change is made. Everything else is the installed ``kg`` command line.
"""

from __future__ import annotations

import functools
import sys

import kg.commands
from kg.cli import main
from kg.closure import rules_closure
from kg.reason import reason

kg.commands.reason = functools.partial(reason, closure=rules_closure)  # type: ignore[attr-defined]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
