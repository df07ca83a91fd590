"""The lean glyph device gives exactly the text of pdfminer's TextConverter, page by page."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fpdf import FPDF
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from indexer.extract import extract_pdf, normalize_text

from .conftest import SHARED_CORPUS, needs_corpus

JUSTIFIED = (
    "Styringsgruppa i Tromsøregionen vedtok å videreføre arbeidet med fiskerihavn. Knut "
    "Karlsen, kommunedirektør i Lyngen, innledet om strategisk næringsplan. "
) * 4


def pdfminer_pages(path: Path) -> tuple[str, ...]:
    """What extract_pdf gave before the glyph device: TextConverter with boxes_flow=None."""
    pages = []
    with path.open("rb") as fh:
        document = PDFDocument(PDFParser(fh))
        resources = PDFResourceManager(caching=True)
        out = io.StringIO()
        device = TextConverter(resources, out, laparams=LAParams(boxes_flow=None))
        interpreter = PDFPageInterpreter(resources, device)
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
            pages.append(normalize_text(out.getvalue()).rstrip("\f").strip("\n"))
            out.seek(0)
            out.truncate(0)
    return tuple(pages)


def write_layouts(path: Path) -> Path:
    """Justified paragraphs, two columns, a rotated stamp, small print and a template form."""
    pdf = FPDF()
    pdf.set_creation_date(datetime(2020, 1, 1, tzinfo=UTC))
    pdf.add_font("dejavu", fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_page()
    pdf.set_font("dejavu", size=14)
    pdf.cell(0, 10, "Møteprotokoll – Ofotrådet", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("dejavu", size=10)
    pdf.multi_cell(0, 5, JUSTIFIED, align="J")
    pdf.ln(8)
    top = pdf.get_y()
    pdf.multi_cell(85, 5, JUSTIFIED[:300], align="L")
    pdf.set_xy(115, top)
    pdf.multi_cell(85, 5, JUSTIFIED[300:600], align="R")
    pdf.set_font("dejavu", size=6)
    pdf.cell(0, 4, "Sak 12/16   Vedtak: enstemmig   Side 1 av 2", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    with pdf.rotation(90, x=100, y=150):
        pdf.set_font("dejavu", size=12)
        pdf.text(100, 150, "Arkivkopi 15.03.2016")
    pdf.set_font("dejavu", size=10)
    pdf.set_xy(10, 20)
    pdf.multi_cell(0, 5, JUSTIFIED, align="J")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


@pytest.mark.skipif(
    not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists(),
    reason="needs the DejaVu font",
)
def test_layouts_read_as_pdfminer_reads_them(tmp_path: Path) -> None:
    path = write_layouts(tmp_path / "layouts.pdf")
    expected = pdfminer_pages(path)
    assert "v\nk\nr\nA" in expected[1]  # pdfminer's reading of the rotated stamp: the fallback
    assert extract_pdf(path).pages == expected


@needs_corpus()
def test_real_pdfs_read_as_pdfminer_reads_them() -> None:
    """Forms, rotated text, Type3 fonts and odd encodings in the shared corpus."""
    paths = sorted((SHARED_CORPUS / "norwegian").rglob("*.pdf"), key=lambda p: p.stat().st_size)[:8]
    assert paths
    for path in paths:
        assert extract_pdf(path).pages == pdfminer_pages(path), path.name
