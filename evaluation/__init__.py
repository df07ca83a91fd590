"""Accuracy figures for the indexer: one module per evaluation, run by `python -m evaluation`."""
