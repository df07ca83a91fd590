"""`python -m indexer` runs the `arkiv` command."""

from .cli import main

main()
