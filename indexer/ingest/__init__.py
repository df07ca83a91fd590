"""Ingest: files on disk to catalog records and index entries, in parallel, in batches.

`worker.py` reads one file (in a process), `writer.py` applies the results through the
`Archive` front door, `pipeline.py` runs the two together.
"""

from .pipeline import default_workers, index_threshold, ingest_paths
from .types import Failure, FileResult, FileTask, IngestOptions, IngestReport
from .worker import apply_ocr
from .writer import apply_overrides

__all__ = [
    "Failure",
    "FileResult",
    "FileTask",
    "IngestOptions",
    "IngestReport",
    "apply_ocr",
    "apply_overrides",
    "default_workers",
    "index_threshold",
    "ingest_paths",
]
