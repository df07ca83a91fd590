"""The front door of an archive home: `Archive` (front_door.py) and the modules its verbs call."""

from .consistency import CheckReport
from .front_door import Archive, open_archive

__all__ = ["Archive", "CheckReport", "open_archive"]
