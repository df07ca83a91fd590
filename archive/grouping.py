"""Documents grouped into meetings by canonical body and meeting date; attachments joined.

Pure: the catalog regroups with it whenever documents come or go, the indexer and the
evaluation call it on what they extracted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePath

from .meetings import (
    AgendaItem,
    Body,
    Meeting,
    MeetingDocument,
    MeetingItem,
    Role,
    meeting_id,
)

MEETING_DOCTYPES = frozenset({"notice", "minutes"})
MIN_NAME_CHARS = 8  # a file stem shorter than this is too plain to be "named" by an agenda
_ROLE_ORDER = {"notice": 0, "minutes": 1, "attachment": 2}


@dataclass(frozen=True)
class MeetingSource:
    """What grouping needs to know of one document."""

    id: str
    filename: str
    doctype: str
    meeting_date: date | None
    body: Body | None
    items: tuple[AgendaItem, ...] = ()
    references: tuple[str, ...] = ()  # canonical item numbers cited anywhere in the text
    dates: tuple[date, ...] = ()
    regions: tuple[str, ...] = ()
    text: str = ""
    cases: tuple[str, ...] = ()  # canonical archive cases cited, in order of first citation

    @property
    def is_meeting_document(self) -> bool:
        return (
            self.doctype in MEETING_DOCTYPES
            and self.body is not None
            and self.meeting_date is not None
        )


def group_meetings(sources: Iterable[MeetingSource]) -> tuple[Meeting, ...]:
    """The meetings a set of documents make up, oldest first; independent of input order."""
    ordered = sorted(sources, key=lambda s: s.id)
    by_key: dict[tuple[str, date], list[MeetingSource]] = defaultdict(list)
    for source in ordered:
        if source.is_meeting_document:
            assert source.body is not None and source.meeting_date is not None
            by_key[(source.body.canonical, source.meeting_date)].append(source)
    attached: dict[tuple[str, date], list[MeetingSource]] = defaultdict(list)
    index = MeetingIndex(by_key)
    for source in ordered:
        if not source.is_meeting_document:
            key = index.meeting_for(source)
            if key is not None:
                attached[key].append(source)
    meetings = [_meeting(key, by_key[key], attached[key]) for key in index.keys]
    return tuple(sorted(meetings, key=lambda m: (m.date, m.body)))


Key = tuple[str, date]


class MeetingIndex:
    """What attachments are matched against, computed once per grouping: each meeting's
    normalised text, words, item numbers and region, and which meetings have a word or item.
    (Comparing every attachment's name with every meeting's text took minutes at a few
    thousand documents; the word index leaves only the meetings that can name it.)"""

    def __init__(self, by_key: dict[Key, list[MeetingSource]]) -> None:
        self.keys = sorted(by_key)
        self.order = {key: i for i, key in enumerate(self.keys)}
        self.texts = {key: [_normalise(m.text) for m in by_key[key]] for key in self.keys}
        self.regions = {key: _region(by_key[key]) for key in self.keys}
        self.numbers = {
            key: {item.number for m in by_key[key] for item in m.items} for key in self.keys
        }
        self.by_word: dict[str, set[Key]] = defaultdict(set)
        self.by_number: dict[str, set[Key]] = defaultdict(set)
        for key in self.keys:
            for word in {w for text in self.texts[key] for w in text.split()}:
                self.by_word[word].add(key)
            for number in self.numbers[key]:
                self.by_number[number].add(key)

    def named_by(self, stem: str) -> set[Key]:
        """The meetings whose text holds a file stem (of MIN_NAME_CHARS or more)."""
        if len(stem) < MIN_NAME_CHARS:
            return set()
        words = stem.split()
        # A stem's inner words stand whole in any text that holds it; its first and last
        # may be parts of longer words, so a stem of one or two words is looked for everywhere.
        candidates: set[Key] | Sequence[Key] = self.keys
        if len(words) >= 3:
            inner = [self.by_word.get(word, set()) for word in words[1:-1]]
            candidates = set.intersection(*inner)
        return {key for key in candidates if any(stem in text for text in self.texts[key])}

    def meeting_for(self, source: MeetingSource) -> Key | None:
        """The meeting an attachment belongs to: named by its agenda, or sharing items and
        date or region; the best of (named, cites an item, dated, same region), ties to the
        first meeting in (body, date) order."""
        named = self.named_by(_normalise(PurePath(source.filename).stem))
        sharing = set().union(*(self.by_number.get(n, set()) for n in source.references))
        best: tuple[tuple[bool, bool, bool, bool], Key] | None = None
        for key in sorted(named | sharing, key=self.order.__getitem__):
            region = self.regions[key]
            is_named = key in named
            shares_item = key in sharing
            is_dated = key[1] in source.dates or key[1] == source.meeting_date
            same_region = region is not None and region in source.regions
            if not (is_named or (shares_item and (is_dated or same_region))):
                continue
            score = (is_named, shares_item, is_dated, same_region)
            if best is None or score > best[0]:
                best = (score, key)
        return best[1] if best else None


def _region(members: Sequence[MeetingSource]) -> str | None:
    body = members[0].body
    return body.region if body else None


def _meeting(
    key: tuple[str, date], members: list[MeetingSource], attachments: list[MeetingSource]
) -> Meeting:
    """One meeting from its notices and minutes and the attachments that joined it."""
    body, day = key
    region = next((m.body.region for m in members if m.body and m.body.region), None)
    documents = [MeetingDocument(m.id, m.filename, _role(m.doctype)) for m in members]
    documents += [MeetingDocument(a.id, a.filename, "attachment") for a in attachments]
    documents.sort(key=lambda d: (_ROLE_ORDER[d.role], d.filename, d.id))
    items = cases_from_attachments(merge_items(members), attachments)
    return Meeting(meeting_id(body, day), body, region, day, tuple(documents), items)


def cases_from_attachments(
    items: tuple[MeetingItem, ...], attachments: Sequence[MeetingSource]
) -> tuple[MeetingItem, ...]:
    """An item with no case of its own takes the first case of an attachment that cites that
    item and no other of the meeting ("Vedlegg til sak 17/17", "Vår ref.: 17/87-3")."""
    numbers = {item.number for item in items}
    found: dict[str, str] = {}
    for attachment in attachments:  # in id order: the same result for any ingest order
        cited = numbers.intersection(attachment.references)
        if len(cited) == 1 and attachment.cases:
            found.setdefault(cited.pop(), attachment.cases[0])
    return tuple(
        item if item.case or item.number not in found else replace(item, case=found[item.number])
        for item in items
    )


def _role(doctype: str) -> Role:
    return "notice" if doctype == "notice" else "minutes"


def merge_items(members: Sequence[MeetingSource]) -> tuple[MeetingItem, ...]:
    """Items merged over a meeting's documents: the notice's title, the minutes' decision."""
    ordered = sorted(members, key=lambda m: (_ROLE_ORDER[m.doctype], m.id))
    listed: dict[str, list[tuple[MeetingSource, AgendaItem]]] = defaultdict(list)
    for member in ordered:
        for item in member.items:
            listed[item.number].append((member, item))
    merged = []
    for number, found in listed.items():
        titled = next((item for _, item in found if item.title), found[0][1])
        decided = next(
            (item for m, item in found if m.doctype == "minutes" and item.decision), None
        )
        merged.append(
            MeetingItem(
                label=found[0][1].label,
                number=number,
                title=titled.title,
                decision=decided.decision if decided else None,
                documents=tuple(sorted({m.id for m, _ in found})),
                pages=tuple(sorted((m.id, item.page) for m, item in found)),
                case=next((item.case for _, item in found if item.case), None),
            )
        )
    return tuple(sorted(merged, key=lambda item: _item_order(item.number)))


def _item_order(number: str) -> tuple[str, int, int]:
    """Plain items before other series; then by year and number."""
    match = re.fullmatch(r"(?:(?P<series>[A-Z]+) )?(?P<n>\d+)(?:/(?P<year>\d+))?", number)
    if match is None:
        return ("~", 0, 0)
    return (match.group("series") or "", int(match.group("year") or 0), int(match.group("n")))


def _normalise(text: str) -> str:
    """Lower case, accents folded the Norwegian way, separators as single spaces."""
    folded = unicodedata.normalize("NFC", text).lower()
    return " ".join(folded.translate(_SEPARATORS).split())  # split() takes every space


_SEPARATORS = str.maketrans(dict.fromkeys("_-–.", " "))
