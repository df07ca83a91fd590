"""Text from documents printed by the CLI: control characters escaped, never obeyed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.terminal import TEXT_LAYOUT, printable

HOSTILE_NAME = "esc\x1b[31mred\x1b[0m.txt"
SHOWN_NAME = "esc\\x1b[31mred\\x1b[0m.txt"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (HOSTILE_NAME, SHOWN_NAME),
        ("bell\x07 and DEL\x7f", "bell\\x07 and DEL\\x7f"),
        ("csi\x9b2J", "csi\\x9b2J"),  # the one-byte C1 form of ESC [
        ("ut\u202etxt.exe", "ut\\u202etxt.exe"),  # a right-to-left override
        ("lines\nand\ttabs", "lines\\x0aand\\x09tabs"),
        ("b\udcffd.txt", "b\\udcffd.txt"),  # an undecodable byte of a file name
        ("Møte i Ofoten – «vindkraft» 😀", "Møte i Ofoten – «vindkraft» 😀"),
    ],
)
def test_control_characters_are_printed_escaped(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_a_page_of_text_keeps_its_layout() -> None:
    assert printable("Side 1\n\tSak 1\fSide 2\x1b[2J", keep=TEXT_LAYOUT) == (
        "Side 1\n\tSak 1\fSide 2\\x1b[2J"
    )


def test_search_and_show_never_print_a_file_names_escapes(
    tmp_path: Path, runner: CliRunner
) -> None:
    folder = tmp_path / "innboks"
    folder.mkdir()
    (folder / HOSTILE_NAME).write_text(
        "Innkalling til møte om vindkraft\x1b]0;pwned\x07 i Ofoten.", "utf-8"
    )
    home = str(tmp_path / "home")
    assert runner.invoke(cli, ["--home", home, "index", str(folder)]).exit_code == 0
    found = runner.invoke(cli, ["--home", home, "search", "vindkraft"], catch_exceptions=False)
    assert found.exit_code == 0
    assert "\x1b" not in found.output and "\x07" not in found.output
    assert SHOWN_NAME in found.output
    assert "\\x1b]0;pwned\\x07" in found.output
    as_json = runner.invoke(cli, ["--home", home, "search", "vindkraft", "--json"])
    doc_id = json.loads(as_json.output)["hits"][0]["id"]
    shown = runner.invoke(cli, ["--home", home, "show", doc_id, "--text"], catch_exceptions=False)
    assert shown.exit_code == 0
    assert "\x1b" not in shown.output and "\x07" not in shown.output
    assert f"filename: {SHOWN_NAME}" in shown.output
    assert "Innkalling til møte om vindkraft\\x1b]0;pwned\\x07 i Ofoten." in shown.output
