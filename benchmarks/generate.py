"""Write N synthetic articles in the curated format: ``python -m benchmarks.generate --articles N --out DIR``.

Each article is an ``<id>.txt`` and an ``<id>.yaml`` of the same shape as ``data/articles/``: districts in
cities in provinces, a district programme and its phases over the years, enterprises, bureaus and public
institutions hosting party organisations (with host chains), pairings of two parties in a phase, posts held
by people in roles, the meeting and its ceremonies, outcomes with counts, and remarks. Every quote occurs
in its article's text (once, or with ``start:``), ids are unique, and an organisation several articles of a
district name has the same labels in each, so ``kg build --sources DIR`` loads, merges and validates them.

The same ``--articles`` and ``--seed`` give byte-identical files: one :class:`random.Random` drives
everything, in a fixed order, and nothing depends on hash order or the clock.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.article import Article
from benchmarks.world import World


def articles(count: int, seed: int = 0) -> Iterator[tuple[str, str, str]]:
    """``(id, text, yaml)`` of ``count`` articles; article i reports on district ``i mod districts``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not a secret
    world = World(rng, count)
    for i in range(count):
        district = world.districts[i % len(world.districts)]
        article = Article(world, district, rng)
        text, facts = article.write()
        yield article.id, text, facts


def generate(count: int, out: Path, seed: int = 0) -> list[str]:
    """Write ``count`` articles into ``out`` (created if missing); returns their ids in order."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for ident, text, facts in articles(count, seed):
        (out / f"{ident}.txt").write_text(text, encoding="utf-8", newline="\n")
        (out / f"{ident}.yaml").write_text(facts, encoding="utf-8", newline="\n")
        written.append(ident)
    return written


def main(argv: list[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True, help="how many articles to write")
    parser.add_argument("--out", type=Path, required=True, help="folder to write <id>.txt and <id>.yaml into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    started = time.perf_counter()
    written = generate(args.articles, args.out, args.seed)
    print(f"wrote {len(written)} articles to {args.out} in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
