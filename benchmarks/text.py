"""Deterministic Norwegian council documents (notices, minutes, applications, reports) as text."""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from wordfreq import top_n_list

DATA_DIR = Path(__file__).resolve().parent.parent / "indexer" / "data"
MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
FIRST_NAMES = (
    "Hilde", "Kari", "Ingrid", "Anne", "Marit", "Tone", "Randi", "Silje", "Hege", "Ragnhild",
    "Ola", "Per", "Knut", "Terje", "Geir", "Bjørn", "Rune", "Svein", "Øyvind", "Tor Arne",
    "Åse", "Eirik", "Sigrid", "Trond", "Jørn", "Lise", "Frode", "Gunnhild", "Arild", "Mona",
)  # fmt: skip
LAST_NAMES = (
    "Normark", "Hansen", "Johansen", "Olsen", "Larsen", "Andreassen", "Pedersen", "Nilsen",
    "Karlsen", "Jakobsen", "Berg", "Haugen", "Strand", "Solberg", "Eriksen", "Kristiansen",
    "Mikkelsen", "Bakke", "Lund", "Sørensen", "Aasen", "Grønvold", "Hætta", "Ødegård",
)  # fmt: skip
ROLES = (
    "ordfører", "varaordfører", "rådmann", "daglig leder", "prosjektleder", "næringssjef",
    "kommunedirektør", "sekretær", "leder av styringsgruppa", "fylkesråd",
)  # fmt: skip
# Compounds as councils write them; their parts are what a decompounding search must find.
COMPOUNDS = (
    "samferdselsprosjektet", "næringsutvikling", "regionrådsleder", "byregionprogrammet",
    "styringsgruppemøte", "kompetansesenter", "reiselivsstrategi", "havneutbygging",
    "bredbåndsutbygging", "kulturskoletilbud", "folkehelsearbeid", "planprosessen",
    "tidligfasekapital", "interkommunalt", "samarbeidsavtale", "budsjettforslaget",
    "stedsutvikling", "fiskerihavn", "vegprosjektet", "sykehusstruktur", "fjellovergangen",
    "kraftutbygging", "arbeidsplasser", "utviklingsplan", "ungdomsrådet", "flyplassutredning",
)  # fmt: skip
TOPICS = (
    "strategisk næringsplan", "marin kartlegging", "stedsutvikling", "tidligfasekapital",
    "samferdsel og infrastruktur", "kompetanse og utdanning", "helse og omsorg",
    "reiseliv og kultur", "klima og energi", "bosetting og rekruttering", "havn og logistikk",
    "kommunereformen", "regional planstrategi", "digitalisering", "landbruk og reindrift",
)  # fmt: skip
SENTENCES = (
    "Regionrådet drøftet {topic} og ba {role} i {kommune} om å legge fram en sak til neste møte.",
    "Styringsgruppa i {region} vedtok å videreføre arbeidet med {compound}.",
    "Det ble orientert om status for {compound} i {kommune} og {kommune2}.",
    "{person}, {role} i {kommune}, innledet om {topic}.",
    "Søknaden gjelder tilskudd på kr {amount} til {compound} i perioden {year}–{year2}.",
    "Regionrådet støtter at {kommune} søker om midler til {topic}.",
    "Saken ble utsatt til møtet {date}.",
    "Administrasjonen følger opp {compound} og rapporterer til styringsgruppa innen {date}.",
    "Kommunene i {region} har felles interesse av {topic}, særlig {compound}.",
    "Det vises til referat fra møtet {date_short}, sak {sak}.",
    "Prosjektet skal styrke {topic} i regionen og gi flere arbeidsplasser i {kommune}.",
    "Fylkeskommunen har signalisert at {compound} kan få delfinansiering.",
    "Innspill fra {kommune2} ble tatt til orientering.",
    "Arbeidsutvalget anbefaler at {region} prioriterer {topic} i {year}.",
    "Budsjettet for {compound} er på kr {amount}, hvorav kommunene dekker en tredjedel.",
    "Møtet ble avholdt på rådhuset i {kommune} {date}.",
)  # fmt: skip
VEDTAK = (
    "Regionrådet tar saken til orientering.",
    "Regionrådet slutter seg til forslaget fra arbeidsutvalget.",
    "Regionrådet bevilger kr {amount} til {compound}.",
    "Saken sendes på høring til kommunene i {region}.",
)  # fmt: skip
# Fewest pages first: most documents have 1 to 5 pages, a few long reports run to 30.
PAGE_WEIGHTS = {
    "notice": {1: 60, 2: 30, 3: 10},
    "minutes": {1: 10, 2: 25, 3: 25, 4: 20, 5: 10, 6: 5, 8: 3, 10: 2},
    "application": {2: 10, 3: 20, 4: 20, 5: 15, 6: 10, 8: 10, 10: 6, 14: 4, 20: 3, 30: 2},
    "other": {1: 30, 2: 20, 3: 15, 4: 10, 5: 8, 8: 7, 12: 5, 20: 3, 30: 2},
}
DOCTYPE_WEIGHTS = {"notice": 30, "minutes": 35, "application": 15, "other": 20}
WORDS_PER_PAGE = (180, 380)


@dataclass(frozen=True)
class Council:
    region: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class GeneratedDoc:
    """One generated document: its type, title, meeting date, region and pages of text."""

    number: int
    doctype: str
    title: str
    meeting_date: date | None
    region: str
    pages: tuple[str, ...]
    is_pdf: bool


@cache
def councils() -> tuple[Council, ...]:
    """The regions with members from the shipped gazetteer."""
    data = tomllib.loads((DATA_DIR / "gazetteer.toml").read_text(encoding="utf-8"))
    out = []
    for name, region in data["region"].items():
        members = tuple(region.get("members", ())) or ("Narvik", "Harstad")
        out.append(Council(name, members))
    return tuple(out)


@cache
def vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(common words by frequency, rarer words): Norwegian words from wordfreq's list."""
    words = [
        w
        for w in top_n_list("nb", 25_000)
        if len(w) >= 3 and w.isalpha() and all(c in "abcdefghijklmnopqrstuvwxyzæøå" for c in w)
    ]
    return tuple(words[:3000]), tuple(words[8000:20000])


@cache
def common_weights() -> tuple[float, ...]:
    common, _ = vocabulary()
    return tuple(1.0 / (rank + 10) for rank in range(len(common)))  # Zipf-like


class Writer:
    """Fills templates for one document from one seeded random source."""

    def __init__(self, rng: random.Random, council: Council, meeting: date) -> None:
        self.rng = rng
        self.council = council
        self.meeting = meeting

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def long_date(self, day: date) -> str:
        return f"{WEEKDAYS[day.weekday()]} {day.day}. {MONTHS[day.month - 1]} {day.year}"

    def short_date(self, day: date) -> str:
        return self.rng.choice(
            (f"{day:%d.%m.%y}", f"{day:%d.%m.%Y}", f"{day.day}. {MONTHS[day.month - 1]} {day.year}")
        )

    def fill(self, template: str) -> str:
        rng, council = self.rng, self.council
        other = self.meeting + timedelta(days=rng.randint(-120, 120))
        return template.format(
            topic=rng.choice(TOPICS),
            role=rng.choice(ROLES),
            kommune=rng.choice(council.members),
            kommune2=rng.choice(council.members),
            region=council.region,
            compound=rng.choice(COMPOUNDS),
            person=self.person(),
            amount=f"{rng.randint(1, 90) * 50_000:,}".replace(",", " "),
            year=self.meeting.year,
            year2=self.meeting.year + rng.randint(1, 3),
            date=self.short_date(other),
            date_short=f"{other:%d.%m.%y}",
            sak=f"{rng.randint(1, 60)}/{other:%y}",
        )

    def filler(self) -> str:
        common, rare = vocabulary()
        count = self.rng.randint(8, 18)
        words = self.rng.choices(common, weights=common_weights(), k=count)
        if self.rng.random() < 0.5:
            words[self.rng.randrange(count)] = self.rng.choice(rare)
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        parts = [
            self.fill(self.rng.choice(SENTENCES)) if self.rng.random() < 0.6 else self.filler()
            for _ in range(self.rng.randint(2, 5))
        ]
        return " ".join(parts)

    def body_page(self, words: int, heading: str | None = None) -> str:
        lines = [heading] if heading else []
        count = 0
        while count < words:
            para = self.paragraph()
            lines.append(para)
            count += len(para.split())
        return "\n\n".join(lines)


def pick_weighted(rng: random.Random, weights: dict[str, int] | dict[int, int]) -> object:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]  # type: ignore[index]


def make_document(number: int, *, seed: int = 2016) -> GeneratedDoc:
    """Document `number` of the corpus; the same number always gives the same document."""
    rng = random.Random(seed * 1_000_003 + number)
    council = rng.choice(councils())
    meeting = date(2005, 1, 1) + timedelta(days=rng.randrange(20 * 365))
    doctype = str(pick_weighted(rng, DOCTYPE_WEIGHTS))
    pages = int(str(pick_weighted(rng, PAGE_WEIGHTS[doctype])))
    w = Writer(rng, council, meeting)
    org = f"{council.region} regionråd"
    stamp = f"{meeting:%d.%m.%y}"
    if doctype == "notice":
        title = f"Innkalling {stamp}"
        head = (
            f"{org}\n\nMØTEINNKALLING\n\nStyringsgruppa i {council.region} innkalles til møte "
            f"{w.long_date(meeting)} kl. {rng.choice(('09.00', '10.00', '12.30'))} "
            f"på rådhuset i {rng.choice(council.members)}.\n\nForfall meldes til "
            f"{w.person()}.\n\nSAKSLISTE\n\n"
            + "\n".join(
                f"Sak {n}/{meeting:%y} {rng.choice(TOPICS).capitalize()}"
                for n in range(rng.randint(1, 20), rng.randint(22, 40))
            )
        )
    elif doctype == "minutes":
        title = f"{rng.choice(('Referat', 'Protokoll', 'Møtebok'))} {stamp}"
        present = ", ".join(w.person() for _ in range(rng.randint(3, 7)))
        head = (
            f"{org}\n\n{title.split()[0].upper()} fra møte i styringsgruppa "
            f"{w.long_date(meeting)}\n\nTil stede: {present}\n\nForfall: {w.person()}\n\n"
            f"Sak {rng.randint(1, 60)}/{meeting:%y} {rng.choice(TOPICS).capitalize()}\n\n"
            f"{w.paragraph()}\n\nVedtak: {w.fill(rng.choice(VEDTAK))}"
        )
    elif doctype == "application":
        title = f"Søknad om midler til {rng.choice(TOPICS)}"
        head = (
            f"{org}\n\n{title.upper()}\n\n{org} søker om kr "
            f"{rng.randint(2, 60) * 100_000:,} til prosjektet {rng.choice(COMPOUNDS)}.".replace(
                ",", " "
            )
            + f"\n\nSøknadsdato: {meeting:%d.%m.%Y}\n\nProsjektbeskrivelse\n\n{w.paragraph()}"
        )
    else:
        title = rng.choice(
            (f"Årsmelding {meeting.year}", f"Fakta om {council.region}", "Rapport fra prosjektet")
        )
        head = f"{title}\n\n{w.paragraph()}"
    meeting_date = meeting if doctype in ("notice", "minutes") else None
    texts = [w.body_page(rng.randint(*WORDS_PER_PAGE) // 2, heading=head)]
    for page in range(2, pages + 1):
        heading = f"Side {page} av {pages}"
        texts.append(w.body_page(rng.randint(*WORDS_PER_PAGE), heading=heading))
    if doctype == "minutes":
        nxt = meeting + timedelta(days=rng.choice((14, 21, 28, 42)))
        texts[-1] += f"\n\nNeste møte: {w.long_date(nxt)}.\n\n{w.person()}\nreferent"
    return GeneratedDoc(
        number=number,
        doctype=doctype,
        title=title,
        meeting_date=meeting_date,
        region=council.region,
        pages=tuple(texts),
        is_pdf=rng.random() < 0.5,
    )
