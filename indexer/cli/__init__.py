"""The `arkiv` command: a thin click shell over the archive and the indexer.

`group.py` holds the group and its error handling; the commands live by what they do:
`writing.py` (index, remove, reindex, check, ocr, upgrade), `reading.py` (search, show, export,
stats), `serving.py` (serve), `accounts.py` (user, token, audit), `editing.py` (edit),
`meetings.py` (meetings, meeting, case), `watching.py` (watch).
"""

from . import accounts, editing, meetings, reading, serving, writing
from . import watching as watching  # registers `arkiv watch`
from .group import cli
from .reading import document_json, hit_json

__all__ = [
    "accounts",
    "cli",
    "document_json",
    "editing",
    "hit_json",
    "main",
    "meetings",
    "reading",
    "serving",
    "writing",
]


def main() -> None:
    """Entry point of the `arkiv` console script."""
    cli(prog_name="arkiv")
