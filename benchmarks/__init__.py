"""Benchmarks of the real pipeline: corpus generator, measurements and the results table."""
