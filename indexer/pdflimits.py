"""Bounds on what a PDF may inflate to while its text is read: one stream, and one page.

pdfminer decodes a stream whole (one `zlib.decompress`) and keeps the result for the life of
the document, so a 0.9 MB file whose content stream inflates to 256 MB drove the indexer past
21 GB. Inside `inflate_limits()`, each Flate stream is inflated here in 1 MB steps and given
up past the limit; the bytes decoded while one page is read count against the page's budget;
and `release()` after each page turns the decoded streams back into their raw bytes (pdfminer
decodes a stream again if a later page uses it), so a long document does not pile up.

pdfminer has no hook for this: `PDFStream.decode` is wrapped once, at import, and acts only
inside `inflate_limits()` (elsewhere it is pdfminer's own).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

MB = 1 << 20
# A page's content stream is a few hundred kB; a detailed vector map, tens of MB.
STREAM_LIMIT = 64 * MB
PAGE_LIMIT = 128 * MB  # everything one page decodes: its contents, forms, fonts
CHUNK = MB


class PdfLimitError(Exception):
    """A PDF past one of the bounds; `reason` says which, for the file's error message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class InflateBudget:
    """What the current page may still decode, and the streams it has decoded so far."""

    stream_limit: int = STREAM_LIMIT
    page_limit: int = PAGE_LIMIT
    page_bytes: int = 0
    decoded: list[tuple[PDFStream, bytes | None]] = field(default_factory=list)

    def release(self) -> None:
        """Forget what this page decoded: each stream back to its raw bytes, the count to 0."""
        for stream, raw in self.decoded:
            stream.data = None
            stream.rawdata = raw
        self.decoded.clear()
        self.page_bytes = 0

    def allowance(self) -> int:
        return min(self.stream_limit, self.page_limit - self.page_bytes)

    def refuse(self, size: int) -> PdfLimitError:
        if size > self.stream_limit:
            return PdfLimitError(
                f"a stream of the PDF inflates to more than {self.stream_limit // MB} MB "
                "(a decompression bomb?)"
            )
        return PdfLimitError(
            f"one page of the PDF inflates to more than {self.page_limit // MB} MB"
        )


_budget: ContextVar[InflateBudget | None] = ContextVar("pdf_inflate_budget", default=None)


@contextmanager
def inflate_limits(budget: InflateBudget | None = None) -> Iterator[InflateBudget]:
    """Bound the streams pdfminer decodes in this block (and this thread)."""
    current = budget or InflateBudget()
    token = _budget.set(current)
    try:
        yield current
    finally:
        _budget.reset(token)
        current.release()


def inflate(data: bytes, limit: int) -> bytes | None:
    """`data` inflated, or None when zlib cannot read it (pdfminer then tries its own repair);
    raises OverflowError as soon as the output passes `limit` bytes."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    total = 0
    pending = data
    try:
        while True:
            out = inflater.decompress(pending, CHUNK)
            total += len(out)
            if total > limit:
                raise OverflowError(total)
            parts.append(out)
            pending = inflater.unconsumed_tail
            if not pending and len(out) < CHUNK:
                break
    except zlib.error:
        return None
    return b"".join(parts)


def _bounded_decode(stream: PDFStream) -> None:
    budget = _budget.get()
    if budget is None:
        _pdfminer_decode(stream)
        return
    raw = stream.rawdata
    limit = budget.allowance()
    filters = stream.get_filters()
    if raw is not None and filters and filters[0][0] in LITERALS_FLATE_DECODE:
        data = raw
        if stream.decipher:
            assert stream.objid is not None and stream.genno is not None
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        try:
            inflated = inflate(data, limit)
        except OverflowError as exc:
            raise budget.refuse(int(str(exc))) from None
        params = filters[0][1]
        if inflated is not None and len(filters) == 1 and not (params and "Predictor" in params):
            # The usual stream, and inflated already: pdfminer would do the same again.
            stream.data, stream.rawdata = inflated, None
            budget.page_bytes += len(inflated)
            budget.decoded.append((stream, raw))
            return
    _pdfminer_decode(stream)
    size = len(stream.data or b"")
    if size > limit:
        stream.data, stream.rawdata = None, raw
        raise budget.refuse(size)
    budget.page_bytes += size
    budget.decoded.append((stream, raw))


def current_budget() -> InflateBudget | None:
    """The budget of the `inflate_limits()` block this thread is in, if any."""
    return _budget.get()


_pdfminer_decode = PDFStream.decode
PDFStream.decode = _bounded_decode  # type: ignore[method-assign,assignment]
