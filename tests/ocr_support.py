"""Test PDFs for OCR: typed pages, scanned pages without a text layer, and stand-in tools."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import EncryptionMethod

A4_WIDTH_MM = 210


def write_text_pdf(
    path: Path, lines: Sequence[str], *, size: int = 14, password: str | None = None
) -> Path:
    """Write a one-page PDF with a real text layer, optionally encrypted with a user password."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    # The core Helvetica font is Latin-1, which holds æ, ø and å.
    pdf.set_font("helvetica", size=size)
    for line in lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT", h=size * 0.6)
    return _save(pdf, path, password)


def write_scanned_pdf(
    path: Path, lines: Sequence[str], *, dpi: int = 200, password: str | None = None
) -> Path:
    """Write a one-page PDF that holds only a picture of the lines, as a scanner would."""
    typed = write_text_pdf(path.with_suffix(".typed.pdf"), lines)
    image = path.with_suffix(".png")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-gray",
            "-png",
            "-singlefile",
            str(typed),
            str(image.with_suffix("")),
        ],
        check=True,
        capture_output=True,
    )
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(str(image), x=0, y=0, w=A4_WIDTH_MM)
    return _save(pdf, path, password)


def write_fake_tool(folder: Path, name: str, script: str) -> Path:
    """Write an executable shell script called `name` that stands in for a real tool."""
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    tool.chmod(0o755)
    return tool


def _save(pdf: FPDF, path: Path, password: str | None) -> Path:
    if password is not None:
        # RC4 because fpdf2 needs no extra package for it, and poppler and pdfminer read it.
        pdf.set_encryption(
            owner_password="eier", user_password=password, encryption_method=EncryptionMethod.RC4
        )
    pdf.output(str(path))
    return path
