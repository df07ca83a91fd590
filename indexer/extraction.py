"""What extraction gives for one file (`Extraction`), and the per-file limit on its text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from archive.errors import ExtractionError

PDF_MEDIA_TYPE = "application/pdf"
TEXT_MEDIA_TYPE = "text/plain"
# The per-file limit (IngestOptions.max_file_chars, `arkiv index --max-text-mb`): the most text
# one file may give. 32 million characters take a 30 MB log dump (the index reads its first
# 5 million); a file's text is held a few times over on its way to the catalog, so this keeps
# one file to a few hundred MB, and a 1 GB file is refused after its first 32 MB.
MAX_FILE_CHARS = 32_000_000


@dataclass(frozen=True)
class Extraction:
    """The text of one file, page by page, and which pages have no usable text layer."""

    media_type: str
    pages: tuple[str, ...]
    pages_needing_ocr: tuple[int, ...] = ()  # 1-based

    @property
    def needs_ocr(self) -> bool:
        return bool(self.pages_needing_ocr)


def too_long(name: str, max_chars: int) -> ExtractionError:
    return ExtractionError(
        f"{name}: refused: its text is longer than {max_chars:,} characters, "
        "the per-file limit (arkiv index --max-text-mb)"
    )


def normalize_text(text: str) -> str:
    """NFC, Unix newlines, no NULs: a decomposed "å" otherwise vanishes from the index."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)
