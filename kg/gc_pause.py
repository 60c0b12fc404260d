"""Python's cycle collector paused around a burst of allocations that makes no cycles.

Three stages build many small containers they keep until they finish: the closure (tuples and sets of
terms), the network page (lists, dicts and tuples of the page's columns) and the bulk stream (the closure's
input and the merge check's facts, kept from every article). Each allocation burst would otherwise set off
full collections that walk every live object, the caller's RDF graph included, to free nothing: two thirds
of the closure's time on 100 articles, 0.2 s of a 0.9 s page of 10,000 nodes, 9 of the 30 s the stream
took for 1,000 articles (where it found 4,200 cyclic objects in 200 articles). One helper, so all restore
the collector the same way (as it was before, also on error).

:func:`heap_frozen` is the lighter tool for a command that allocates a little on top of a big heap it keeps:
the collector stays on for what the block makes, but no longer walks what was alive before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside the block, and back as it was after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def heap_frozen() -> Iterator[None]:
    """Every object alive now moved out of the collector's sight (``gc.freeze``) inside the block, and back
    after (``gc.unfreeze``: anything frozen before the block comes back too).

    ``kg build`` of the article imports ~300 modules and then copies a 3,500-triple graph a few times: the
    full collections this sets off walk every module's objects to free nothing, 0.13 of the 0.2 s the
    collector took in the parent process (measured with ``gc.callbacks``). Objects made inside the block are
    still collected as usual, so a cycle made there is still freed. It is also what the ``gc`` docs advise
    before ``os.fork`` (:class:`kg.forked.Forked`): a child's collections then do not write to the pages it
    shares with the parent.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
