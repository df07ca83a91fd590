"""Intake from the web: the contract between the upload routes and the pipeline that reads files.

The web UI may not import the indexer, so `arkiv serve` hands `create_app` an `Intake`: a
callable that takes complete files waiting in the home's upload folder and returns what became
of each. The names a client sends are checked here, before any byte is written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from .errors import ArchiveError
from .models import Access, DocType

# A name's bytes on the disks we write to (ext4, XFS, APFS, NTFS all stop at 255).
MAX_NAME_BYTES = 255
Outcome = Literal["added", "exists", "failed"]


class UploadNameError(ArchiveError):
    """A file name from a client that cannot be used as a name."""

    http_status = 400


class IntakeDisabledError(ArchiveError):
    """Upload asked of a server that was started without an intake."""

    http_status = 503


@dataclass(frozen=True)
class IntakeOptions:
    """What an editor chose for one upload: access, legal ground, regions, document type."""

    access: Access = "public"
    legal_ground: str | None = None
    regions: tuple[str, ...] = ()
    doctype: DocType | None = None


@dataclass(frozen=True)
class IncomingFile:
    """An uploaded file, complete on disk under its checked name."""

    name: str
    path: Path


@dataclass(frozen=True)
class IntakeResult:
    """What became of one uploaded file: added, already in the archive, or failed (why)."""

    name: str
    outcome: Outcome
    doc_id: str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "outcome": self.outcome,
            "id": self.doc_id,
            "error": self.error,
        }


class Intake(Protocol):
    """Reads complete files into the archive; raises ArchiveBusyError if it cannot write now.

    Each file gets a result, in the order given; one bad file never stops the others, and a
    file that fails leaves the archive as it was.
    """

    def __call__(
        self, files: Sequence[IncomingFile], options: IntakeOptions
    ) -> list[IntakeResult]: ...


def upload_name(raw: str) -> str:
    """The name to keep for a file a client sent as `raw`; UploadNameError if there is none.

    Folders are dropped (old browsers on Windows send `C:\\scans\\a.pdf`; anything with `../`
    is a name and nothing more); NUL bytes, other control characters and names longer than a
    disk allows are refused rather than guessed at.
    """
    shown = ascii(raw) if len(raw) <= 80 else ascii(raw[:80]) + "..."
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in raw):
        raise UploadNameError(f"{shown}: the file name holds control characters")
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name.strip("."):
        raise UploadNameError(f"{shown}: the file name is empty once its folders are dropped")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise UploadNameError(
            f"{shown}: the file name is longer than {MAX_NAME_BYTES} bytes; rename the file"
        )
    return name
