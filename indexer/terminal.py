"""Text from documents made safe to print: control characters shown escaped, never obeyed."""

from __future__ import annotations

import unicodedata

# Characters a terminal obeys or that reorder what follows: C0/C1 controls and DEL (Cc),
# bidirectional overrides and isolates, and lone surrogates (undecodable bytes of a file name).
# What a page of text may keep when printed whole: its lines, tabs and page breaks.
TEXT_LAYOUT = "\n\t\f"
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str, *, keep: str = "") -> str:
    """The text with every control character written as an escape (`\\x1b`); those in keep
    (say newlines of a page of text) are left as they are."""
    return "".join(
        escaped(c)
        if c not in keep and (unicodedata.category(c) in ("Cc", "Cs") or c in BIDI_CONTROLS)
        else c
        for c in text
    )
