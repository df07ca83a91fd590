"""The grouping into meetings lives in the core (archive/grouping.py): the catalog regroups."""

from archive.grouping import MeetingSource, group_meetings

__all__ = ["MeetingSource", "group_meetings"]
