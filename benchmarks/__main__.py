"""Entry point: `python -m benchmarks [--sizes 1000,10000] [--full]`."""

import sys

from .runner import main

sys.exit(main())
