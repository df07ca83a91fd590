"""The cheap signs that let clean-up skip a pattern never skip one that would have matched."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import cleanup
from indexer.cleanup import clean_text


def clean_text_without_signs(text: str) -> str:
    """clean_text as it was before the signs: every pattern over every page."""
    text = cleanup._VERTICAL.sub(lambda m: "".join(m[0].split()), text)
    text = cleanup._SPACED_RUN.sub(cleanup._join_spaced, text)
    text = cleanup._SPACED_LETTERS.sub(cleanup._join_spaced, text)
    return cleanup._GLUED_TOKEN.sub(lambda m: cleanup._GLUED.sub(" ", m[0]), text)


# Pieces that make every pattern match now and then: capitals, small letters, Norwegian
# letters, digits, single spaces, tabs and line breaks.
PIECES = st.sampled_from(
    ["A", "B", "Ø", "Å", "a", "b", "ø", "å", "e", "1", " ", " ", " ", "\n", "\t", "-", "Kommune"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_signs_skip_only_what_would_not_match(text: str) -> None:
    assert clean_text(text) == clean_text_without_signs(text)


def test_each_sign_is_there_when_its_pattern_matches() -> None:
    vertical = "Side\n2\n0\n2\n3\n-\nslutt"
    spaced_run = "Til HØR IN G S S VA R nå"
    spaced_letters = "Et h ø r i n g s s v a r her"
    glued = "KommuneKristiansandAdresse"
    assert clean_text(vertical) == "Side\n2023-\nslutt"
    assert clean_text(spaced_run) == "Til HØRINGSSVAR nå"
    assert clean_text(spaced_letters) == "Et høringssvar her"
    assert clean_text(glued) == "Kommune Kristiansand Adresse"


def test_a_log_line_passes_unchanged() -> None:
    line = "2016-03-15 10:42:07 INFO regionraadet: vedtak i sak 12/16 registrert i arkivet\n"
    assert clean_text(line * 50) == line * 50
