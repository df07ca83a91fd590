"""What an ingest run is asked to do, the work items it passes around, and what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.models import Access, DocType, Metadata

from ..extract import MAX_FILE_CHARS, Extraction

if TYPE_CHECKING:
    from archive.search.whoosh.preanalysis import Preanalysis

FILE_TIMEOUT = 600  # seconds for one file: a PDF that loops inside pdfminer is given up
# Metadata is read from the first pages only: a council document's type, meeting date and
# places are on its first pages, and a 1,500-page log dump would otherwise take minutes and
# store hundreds of thousands of date mentions. The whole text is still kept and searched.
METADATA_PAGES = 300
OCR_PAGE_TIMEOUT = 60.0


@dataclass(frozen=True)
class IngestOptions:
    """What one `arkiv index` run was asked to do beyond reading the files."""

    regions: tuple[str, ...] = ()
    doctype: DocType | None = None
    password: str | None = None
    workers: int = 1
    batch_size: int = 200
    use_ocr: bool = True
    file_timeout: int = FILE_TIMEOUT
    # `--restricted [--legal-ground TEXT]`: every document of the batch, new or already known,
    # becomes restricted. Without it new documents are public and known ones keep their access:
    # a run never makes a restricted document public (a changed file keeps its document's).
    access: Access = "public"
    legal_ground: str | None = None
    actor: str | None = None  # who, in the audit log, when a known document is restricted
    max_file_chars: int = MAX_FILE_CHARS  # the per-file limit: a file with more text is refused


@dataclass
class Failure:
    path: str
    error: str


@dataclass
class FileWarning:
    """Something a library said while reading a file (pdfminer's log), kept with the file."""

    path: str
    message: str


@dataclass
class IngestReport:
    """Counts of one run; `to_json` is the CLI's documented shape."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[Failure] = field(default_factory=list)
    warnings: list[FileWarning] = field(default_factory=list)
    duplicates: int = 0  # same content seen at a new path, counted as unchanged too
    pages: int = 0
    needs_ocr: list[str] = field(default_factory=list)
    ocr_missing: bool = False
    traces: list[tuple[str, str]] = field(default_factory=list)  # (path, traceback)
    log_path: Path | None = None  # where the tracebacks of unexpected errors were written
    # Documents the run saw but did not write (unchanged paths, known content), for --restricted.
    seen_ids: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": [{"path": f.path, "error": f.error} for f in self.failed],
        }
        if self.warnings:  # only then, so that the usual shape stays as it was
            out["warnings"] = [{"path": w.path, "message": w.message} for w in self.warnings]
        return out


@dataclass(frozen=True)
class FileTask:
    """A file to read: `path` as the archive records it (archive.filenames.path_text), and
    `source`, the name to open when that differs (a name that is not valid UTF-8)."""

    path: str
    size: int
    mtime: float
    source: str = ""

    @property
    def source_path(self) -> Path:
        return Path(self.source or self.path)


@dataclass(frozen=True)
class FileResult:
    """What a worker made of one file: its text and metadata, a known hash, or an error."""

    task: FileTask
    sha256: str = ""
    error: str | None = None
    is_known_content: bool = False
    extraction: Extraction | None = None
    ocr_pages: tuple[int, ...] = ()
    metadata: Metadata | None = None
    # The text fields' index analysis, done here rather than in the single writer process.
    preanalysis: Preanalysis | None = None
    trace: str | None = None  # the traceback of an unexpected error (a bug of ours)
    warnings: tuple[str, ...] = ()  # what pdfminer logged while reading this file
