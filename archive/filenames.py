"""File names that are not valid UTF-8, as text: lossless, printable, and storable anywhere.

On Linux a name is bytes; Python reads the bytes that are not UTF-8 as lone surrogates
(`\\udcff`), which SQLite, Whoosh, JSON output and web pages all refuse. The archive records
such a name with each of those bytes written as `\\xff`, and reads the file by the real name.
"""

from __future__ import annotations

import re
from pathlib import Path

ESCAPED_BYTE = re.compile(r"\\x(?P<hex>[89a-f][0-9a-f])")


def path_text(raw: str) -> str:
    """A path (as os.fsdecode gives it) as text: bytes that are not UTF-8 written `\\xff`;
    any other path is returned as it is."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        data = raw.encode("utf-8", "surrogateescape")
        return data.decode("utf-8", "backslashreplace")
    return raw


def real_path(text: str) -> Path:
    """The file a recorded path names: `\\xff` escapes read back as the bytes they stand for
    when no file has the name as written."""
    path = Path(text)
    if "\\x" not in text or path.exists():
        return path
    return Path(ESCAPED_BYTE.sub(lambda m: chr(0xDC00 + int(m["hex"], 16)), text))
