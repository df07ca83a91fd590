"""The writer side of ingest: worker results applied through the archive's front door."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from archive import Archive, PathRecord
from archive.errors import StoreError
from archive.filenames import path_text
from archive.models import Document, Evidence, Metadata

from ..walk import walk_paths
from .types import Failure, FileResult, FileTask, FileWarning, IngestOptions, IngestReport


def plan_tasks(archive: Archive, paths: Sequence[Path], report: IngestReport) -> list[FileTask]:
    """Files that need reading; unchanged ones (same path, size, mtime) are only counted."""
    tasks = []
    for found in walk_paths(paths):
        recorded = path_text(str(found.path))
        name = Path(recorded).name
        if found.error:
            report.failed.append(Failure(recorded, f"{name}: {found.error}"))
            continue
        try:
            st = found.path.stat()
        except OSError as exc:
            report.failed.append(Failure(recorded, f"{name}: {exc.strerror}"))
            continue
        record = archive.path_record(recorded)
        if record and record[1] == st.st_size and record[2] == st.st_mtime:
            report.unchanged += 1
            report.seen_ids.add(record[0])
            continue
        source = str(found.path) if recorded != str(found.path) else ""
        tasks.append(FileTask(recorded, st.st_size, st.st_mtime, source))
    return tasks


def apply_overrides(meta: Metadata, options: IngestOptions) -> Metadata:
    """--doctype replaces the detected type; --region adds the source's regions."""
    if options.doctype:
        evidence = Evidence("doctype", options.doctype, 0, "set with --doctype at ingest")
        kept = tuple(e for e in meta.evidence if e.field != "doctype")
        meta = replace(
            meta, doctype=options.doctype, doctype_confidence=1.0, evidence=(evidence, *kept)
        )
        if options.doctype not in ("notice", "minutes"):
            meta = replace(meta, meeting_date=None)
    if options.regions:
        added = tuple(r for r in options.regions if r not in meta.regions)
        meta = replace(
            meta,
            regions=tuple(sorted({*meta.regions, *options.regions})),
            evidence=meta.evidence
            + tuple(Evidence("region", r, 0, "set with --region at ingest") for r in added),
        )
    return meta


@dataclass(frozen=True)
class PendingCopy:
    """A document recorded in the open batch whose original is still being copied."""

    copy: Future[Path]
    task: FileTask
    doc: Document
    is_update: bool


class BatchWriter:
    """The single writer: applies worker results to store, catalog and index in batches."""

    def __init__(self, archive: Archive, options: IngestOptions, report: IngestReport) -> None:
        self.archive = archive
        self.options = options
        self.report = report
        # Originals are copied and fsynced on a thread (the GIL is released while it waits on
        # the disk), so that this process, the pipeline's narrowest part, goes on with the
        # catalog and the index; `flush` waits for them before the batch's catalog commit.
        self.copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self.pending: list[PendingCopy] = []
        # Originals no document names any more, deleted once the batch is committed: a run
        # killed before its commit must not have deleted an original the catalog still names.
        self.unused: list[str] = []

    def flush(self) -> None:
        """Wait until every original handed to the copier is on disk. A file that could not
        be copied (deleted, made unreadable or changed since it was read) is that file's
        failure: its document is taken back out of the batch, and the batch goes on."""
        pending, self.pending = self.pending, []
        for item in pending:
            try:
                item.copy.result()
            except StoreError as exc:
                self.discard(item, exc)
                continue
            if item.is_update:
                self.report.updated += 1
            else:
                self.report.added += 1
            self.report.pages += len(item.doc.pages)
            if item.doc.status == "needs_ocr":
                self.report.needs_ocr.append(item.task.path)

    def discard(self, item: PendingCopy, exc: StoreError) -> None:
        path = item.task.path
        message = path_text(exc.message)
        if message.startswith(f"{path}: "):
            message = f"{Path(path).name}: {message[len(path) + 2 :]}"
        self.report.failed.append(Failure(path, message))
        self.archive.discard(item.doc.id)
        self.unused.append(item.doc.sha256)  # a partial copy never lands; this is for safety

    def drop_unused(self) -> None:
        """Delete the originals the committed batch left without a document."""
        unused, self.unused = self.unused, []
        for sha256 in unused:
            self.archive.drop_original_if_unused(sha256)

    def close(self) -> None:
        self.copier.shutdown(wait=True)

    def drop_original_if_unused(self, sha256: str | None) -> None:
        if sha256 is not None:
            self.unused.append(sha256)

    def apply(self, result: FileResult) -> None:
        """Record one worker result: a failure, a known content at a path, or a new document."""
        task = result.task
        self.report.warnings += [FileWarning(task.path, m) for m in result.warnings]
        if result.error:
            # path_text: an error may quote the file's real name.
            self.report.failed.append(Failure(task.path, path_text(result.error)))
            if result.trace:
                self.report.traces.append((task.path, path_text(result.trace)))
            return
        record = self.archive.path_record(task.path)
        existing = self.archive.id_for_content(result.sha256)
        if existing is not None:
            self.report.seen_ids.add(existing)
            self.count_known(existing, record)
            self.move_path(task, existing)
            return
        if result.extraction is None or result.metadata is None:
            # Known to the worker but removed since: read it again on the next run.
            name = Path(task.path).name
            self.report.failed.append(Failure(task.path, f"{name}: changed during ingest"))
            return
        self.add_document(result, record)

    def count_known(self, existing: str, record: PathRecord | None) -> None:
        if record and record[0] == existing:
            self.report.unchanged += 1  # touched, same bytes
        elif record:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
            self.report.duplicates += 1

    def add_document(self, result: FileResult, record: PathRecord | None) -> None:
        """A new content: its original to the store, its record to the catalog."""
        task = result.task
        old_id = record[0] if record else None
        # A file edited in place keeps its document id, unless other paths share the old one.
        reuse = old_id is not None and self.archive.paths_of(old_id) == (task.path,)
        doc_id = old_id if reuse and old_id else self.archive.new_id(result.sha256)
        old_doc = self.archive.get(old_id, with_pages=False) if old_id else None
        old_sha = old_doc.sha256 if reuse and old_doc else None
        doc = self.make_document(result, doc_id, replacing=old_doc)
        copy = self.copier.submit(self.archive.add_original, task.source_path, result.sha256)
        self.pending.append(PendingCopy(copy, task, doc, is_update=record is not None))
        with self.archive.transaction():
            if record and not reuse:
                self.move_path(task, None)
            self.archive.put_document(doc, result.preanalysis)
        self.drop_original_if_unused(old_sha)

    def make_document(
        self, result: FileResult, doc_id: str, *, replacing: Document | None = None
    ) -> Document:
        """The record of a new content; a new version of a restricted document (the same path)
        stays restricted with its legal ground unless the run gives another."""
        task, extraction = result.task, result.extraction
        assert extraction is not None and result.metadata is not None
        access, ground = self.options.access, self.options.legal_ground
        if replacing is not None and replacing.access == "restricted":
            access, ground = "restricted", ground or replacing.legal_ground
        return Document(
            id=doc_id,
            sha256=result.sha256,
            filename=Path(task.path).name,
            paths=(task.path,),
            size=task.size,
            mtime=task.mtime,
            media_type=extraction.media_type,
            pages=extraction.pages,
            status="needs_ocr" if extraction.needs_ocr else "ok",
            metadata=apply_overrides(result.metadata, self.options),
            ingested_at=datetime.now(UTC).replace(microsecond=0),
            page_count=len(extraction.pages),
            ocr_pages=result.ocr_pages,
            access=access,
            legal_ground=ground if access == "restricted" else None,
        )

    def restrict_seen(self) -> None:
        """With --restricted: restrict the known documents the run saw (an audited change)."""
        if self.options.access != "restricted":
            return
        for doc_id in sorted(self.report.seen_ids):
            doc = self.archive.get(doc_id, with_pages=False)
            ground = self.options.legal_ground or doc.legal_ground
            self.archive.set_access(doc_id, "restricted", ground, actor=self.options.actor)

    def move_path(self, task: FileTask, new_id: str | None) -> None:
        """Point a path at another document; a document left with no path is replaced."""
        removed_sha = self.archive.move_path(task.path, new_id, task.size, task.mtime)
        self.drop_original_if_unused(removed_sha)
