"""clean_pages: letter-spaced words, glued form fields, vertical stamps and Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.cleanup import clean_pages, clean_text
from indexer.extract import extract_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HØR IN G S S VA R\nfra Vesterålen", "HØRINGSSVAR\nfra Vesterålen"),
        ("R E F E R A T  fra styremøtet", "REFERAT  fra styremøtet"),
        ("KommuneKristiansandAdresse Rådhusgata 1", "Kommune Kristiansand Adresse Rådhusgata 1"),
        ("Utskrift\n2\n0\n2\n3\n-\n0\n1\n-\n1\n5\nSide 1", "Utskrift\n2023-01-15\nSide 1"),
        # Ordinary text comes back as it was.
        ("I DAG ER DET MØTE I NAV OG KS", "I DAG ER DET MØTE I NAV OG KS"),
        ("Sak 1 a, b og c: McDonald og iPhone", "Sak 1 a, b og c: McDonald og iPhone"),
        ("1\n2\n3\nSide", "1\n2\n3\nSide"),
    ],
)
def test_layout_artefacts_are_rejoined(text: str, expected: str) -> None:
    assert clean_text(text) == expected


MARKDOWN = """# Møtereferat – styremøte 08.03.2024

**Sted:** Sortland rådhus

## Agenda

- [x] Godkjenning av [innkalling](https://example.org/innkalling.pdf)
* Regional plan

---
"""


def test_markdown_headings_lists_and_links_are_read_as_structure() -> None:
    assert clean_pages([MARKDOWN], "referat.md") == (
        "Møtereferat – styremøte 08.03.2024\n\nSted: Sortland rådhus\n\nAgenda\n\n"
        "Godkjenning av innkalling\nRegional plan\n\n\n",
    )


def test_markdown_marks_stay_in_other_text_files() -> None:
    assert clean_pages(["# Sak 1\n- punkt"], "notat.txt") == ("# Sak 1\n- punkt",)


def test_extraction_cleans_a_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "innkalling.md"
    path.write_text("# Innkalling til styremøte\n\n- Sak 1/24 Budsjett\n", "utf-8")
    assert extract_text(path).pages == ("Innkalling til styremøte\n\nSak 1/24 Budsjett",)
