"""Scale benchmarks of zqgj-kg: a seeded generator of synthetic articles in the curated format
(:mod:`benchmarks.generate`) and timings of every pipeline stage on them (``python -m benchmarks``)."""
