"""Text clean-up between extraction and metadata: rejoin what a page layout or Markdown split."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

# Letter-spaced capitals as PDF text layers give them: "HØR IN G S S VA R". Words of the
# spaced text stand one space apart; a wider gap or a line break ends the run.
_SPACED_RUN = re.compile(r"(?<![^\W\d_])(?:[A-ZÆØÅ]{1,3} ){3,}[A-ZÆØÅ]{1,3}(?![^\W\d_])")
# Single letters one space apart, any case: "H ø r i n g s s v a r".
_SPACED_LETTERS = re.compile(r"(?<![^\W\d_])(?:[^\W\d_] ){4,}[^\W\d_](?![^\W\d_])")
# A form field's label glued to its value: "KommuneKristiansandAdresse". A lower-case letter
# followed by a capital that starts a word of three or more letters.
_GLUED = re.compile(r"(?<=[a-zæøå]{3})(?=[A-ZÆØÅ][a-zæøå]{2})")
# A token long enough to be two or more words glued, not a name like "McDonald" or "iPhone".
_GLUED_TOKEN = re.compile(r"[^\W\d_]{12,}")
# Characters one per line: a timestamp printed vertically in the margin ("2\n0\n2\n3\n-\n0\n1").
_VERTICAL = re.compile(r"(?:^[^\S\n]*\S[^\S\n]*\n){4,}^[^\S\n]*\S[^\S\n]*$", re.MULTILINE)

# Cheap signs, each a necessary condition of the pattern above it, so that a page without one
# skips that pattern: they begin with a fixed character or a set, which the regex engine finds
# in a fast scan, where the patterns above try a look-behind at every position (a 30 MB log
# took ten seconds of clean-up without them, with them under one).
_HAS_VERTICAL = re.compile(r"\n[^\S\n]*\S[^\S\n]*\n[^\S\n]*\S[^\S\n]*\n")  # two such lines
_HAS_SPACED_RUN = re.compile(r" [A-ZÆØÅ]{1,3} [A-ZÆØÅ]")  # an inner run between spaces
_HAS_SPACED_LETTERS = re.compile(r" [^\W\d_] [^\W\d_] [^\W\d_] ")  # three inner letters
_HAS_GLUED = re.compile(r"[a-zæøå]{3}[A-ZÆØÅ][a-zæøå]{2}")  # where _GLUED would cut

# Markdown structure: heading marks, list bullets, emphasis, links, table rules.
_MD_HEADING = re.compile(r"^[^\S\n]{0,3}#{1,6}[^\S\n]+(?P<text>.*?)(?:[^\S\n]+#+)?[^\S\n]*$", re.M)
_MD_BULLET = re.compile(r"^(?P<indent>[^\S\n]*)[-*+][^\S\n]+(?:\[[ xX]\][^\S\n]+)?", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?P<text>\S(?:.*?\S)?)\1")
_MD_LINK = re.compile(r"!?\[(?P<text>[^\]\n]*)\]\([^)\n]*\)")
_MD_RULE = re.compile(r"^[^\S\n]*(?:[-*_][^\S\n]*){3,}$|^[^\S\n]*\|?[^\S\n]*:?-{3,}.*$", re.M)


def clean_pages(pages: Sequence[str], filename: str) -> tuple[str, ...]:
    """The pages with layout artefacts rejoined and, for Markdown files, the markup read."""
    is_markdown = PurePath(filename).suffix.lower() in MARKDOWN_SUFFIXES
    return tuple(clean_text(page, is_markdown=is_markdown) for page in pages)


def clean_text(text: str, *, is_markdown: bool = False) -> str:
    """One page's text, cleaned; text without artefacts comes back unchanged."""
    if is_markdown:
        text = read_markdown(text)
    if _HAS_VERTICAL.search(text):
        text = _VERTICAL.sub(lambda m: "".join(m[0].split()), text)
    if _HAS_SPACED_RUN.search(text):
        text = _SPACED_RUN.sub(_join_spaced, text)
    if _HAS_SPACED_LETTERS.search(text):
        text = _SPACED_LETTERS.sub(_join_spaced, text)
    if _HAS_GLUED.search(text):
        text = _GLUED_TOKEN.sub(lambda m: _GLUED.sub(" ", m[0]), text)
    return text


def read_markdown(text: str) -> str:
    """Markdown as the plain text a reader sees: headings, bullets, emphasis and links bare."""
    text = _MD_HEADING.sub(lambda m: m["text"], text)
    text = _MD_BULLET.sub(lambda m: m["indent"], text)
    text = _MD_RULE.sub("", text)
    text = _MD_LINK.sub(lambda m: m["text"], text)
    return _MD_EMPHASIS.sub(lambda m: m["text"], text)


def _join_spaced(match: re.Match[str]) -> str:
    """Letters one space apart as one word, unless most pieces are words already: "I DAG ER"."""
    pieces = match[0].split(" ")
    singles = sum(len(piece) == 1 for piece in pieces)
    return "".join(pieces) if 2 * singles >= len(pieces) else match[0]
