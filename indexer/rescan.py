"""OCR for documents the archive holds as `needs_ocr`: the work behind `arkiv ocr`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from archive import Archive
from archive.errors import ArchiveError

from .extract import Extraction
from .gazetteer import gazetteer_file, load_gazetteer
from .ingest import IngestOptions, apply_ocr, apply_overrides
from .metadata import extract_metadata
from .ocr import is_ocr_available, page_needs_ocr


@dataclass
class RescanReport:
    """Documents whose pages were read by OCR, still pending, or failed."""

    done: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def ocr_pending_documents(archive: Archive, options: IngestOptions) -> RescanReport:
    """Read the text-less pages of every `needs_ocr` document and re-read its metadata."""
    report = RescanReport()
    ids = archive.ids_with_status("needs_ocr")
    if not ids:
        return report
    if not is_ocr_available():
        report.pending = ids
        return report
    places = load_gazetteer(gazetteer_file(archive.config))
    for doc_id in ids:
        doc = archive.get(doc_id)
        original = archive.original_path(doc)
        needing = tuple(n for n, text in enumerate(doc.pages, start=1) if page_needs_ocr(text))
        extraction = Extraction(doc.media_type, doc.pages, needing)
        try:
            read, ocr_pages = apply_ocr(original, extraction, options.password)
        except ArchiveError as exc:
            report.failed.append((doc_id, exc.message))
            continue
        if not ocr_pages:
            report.failed.append((doc_id, f"{doc.filename}: OCR read no page"))
            continue
        metadata = extract_metadata(read.pages, doc.filename, gazetteer=places)
        # Keep what the user set at ingest (--doctype/--region) on top of the new reading.
        kept_regions = tuple(
            e.value for e in doc.metadata.evidence if e.field == "region" and e.page == 0
        )
        metadata = apply_overrides(metadata, replace(options, regions=kept_regions))
        updated = replace(
            doc,
            pages=read.pages,
            status="needs_ocr" if read.needs_ocr else "ok",
            ocr_pages=tuple(sorted({*doc.ocr_pages, *ocr_pages})),
            metadata=metadata,
        )
        archive.replace_pages(updated)
        (report.pending if read.needs_ocr else report.done).append(doc_id)
    return report
