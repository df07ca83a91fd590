"""A small hand-made archive for the web UI tests, independent of the indexer's extractors."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fpdf import FPDF

from archive import ArchiveConfig, open_archive
from archive.models import DateMention, Document, Evidence, Metadata

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FILLERS = 22  # with the four other vindkraft documents: two pages of hits
VINDKRAFT_HITS = FILLERS + 4


@dataclass(frozen=True)
class Spec:
    """What a test document says about itself; the file is written from it."""

    key: str
    filename: str
    pages: tuple[str, ...]
    doctype: str = "minutes"
    title: str = ""
    meeting: date | None = None
    regions: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    mentions: tuple[DateMention, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    is_pdf: bool = False
    ingested: datetime = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def write_pdf(path: Path, pages: tuple[str, ...]) -> None:
    pdf = FPDF()
    pdf.set_creation_date(datetime(2020, 1, 1, tzinfo=UTC))
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))


def make_document(spec: Spec, folder: Path) -> tuple[Document, Path]:
    """The record and the file on disk for one spec (the file's name on disk is the key)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / (spec.key + (".pdf" if spec.is_pdf else ".txt"))
    if spec.is_pdf:
        write_pdf(source, spec.pages)
    else:
        source.write_text("\f".join(spec.pages), "utf-8")
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    meta = Metadata(
        doctype=spec.doctype,  # type: ignore[arg-type]
        doctype_confidence=0.9,
        title=spec.title,
        meeting_date=spec.meeting,
        mentions=spec.mentions,
        regions=spec.regions,
        municipalities=spec.municipalities,
        evidence=spec.evidence,
    )
    doc = Document(
        id=sha[:12],
        sha256=sha,
        filename=spec.filename,
        paths=(str(source),),
        size=source.stat().st_size,
        mtime=source.stat().st_mtime,
        media_type="application/pdf" if spec.is_pdf else "text/plain",
        pages=spec.pages,
        status="ok",
        metadata=meta,
        ingested_at=spec.ingested,
        page_count=len(spec.pages),
        ocr_pages=spec.ocr_pages,
    )
    return doc, source


def mention(day: date, role: str, page: int, text: str, end: date | None = None) -> DateMention:
    return DateMention(
        start=day,
        end=end or day,
        precision="day" if end is None else "month",
        role=role,
        page=page,
        char_start=0,
        char_end=len(text),
        text=text,
    )


REFERAT = Spec(
    key="referat",
    filename="Referat 15.03.16.pdf",
    is_pdf=True,
    title="Referat styringsgruppen 15.03.16",
    meeting=date(2016, 3, 15),
    regions=("Ofoten",),
    municipalities=("Narvik", "Evenes"),
    pages=(
        "Referat fra møte i styringsgruppen for Ofoten regionråd\n"
        "Tirsdag 15. mars 2016 kl. 10.00, Narvik rådhus\nTil stede: Narvik, Evenes, Ballangen",
        "Sak 12/16 Vindkraft i Ofoten\n"
        "Styringsgruppen drøftet vindkraft på Fagernesfjellet og utbyggingen i november 2016.\n"
        "Vedtak: Saken sendes på høring.",
        "Neste møte: 26. april 2016 i Evenes.",
    ),
    evidence=(
        Evidence("doctype", "minutes", 1, "Referat fra møte i styringsgruppen"),
        Evidence("meeting_date", "2016-03-15", 1, "Tirsdag 15. mars 2016 kl. 10.00"),
        Evidence("region", "Ofoten", 1, "styringsgruppen for Ofoten regionråd"),
        Evidence("municipality", "Narvik", 1, "Narvik rådhus"),
    ),
    mentions=(
        mention(date(2016, 3, 15), "meeting", 1, "15. mars 2016"),
        mention(date(2016, 11, 1), "mention", 2, "november 2016", end=date(2016, 11, 30)),
        mention(date(2016, 4, 26), "next_meeting", 3, "26. april 2016"),
    ),
    ingested=datetime(2026, 11, 2, 8, 0, tzinfo=UTC),
)

INNKALLING = Spec(
    key="innkalling",
    filename="Innkalling 15.03.16.txt",
    doctype="notice",
    title="Innkalling styringsgruppen 15.03.16",
    meeting=date(2016, 3, 15),
    regions=("Ofoten",),
    pages=("Innkalling til møte i styringsgruppen.\nSaksliste: Sak 12/16 Vindkraft i Ofoten.",),
)

SORTROMS = Spec(
    key="sortroms",
    filename="innkalling-sortroms.txt",
    doctype="notice",
    title="Innkalling Sør-Troms regionråd 24.02.17",
    meeting=date(2017, 2, 24),
    regions=("Sør-Troms",),
    pages=("Innkalling til møte i Sør-Troms regionråd om strategisk næringsplan.",),
)

SOKNAD = Spec(
    key="soknad",
    filename="soknad-fase2.txt",
    doctype="application",
    title="Søknad fase 2 Tromsøregionen",
    regions=("Tromsøregionen",),
    pages=("Søknad til Byregionprogrammet om stedsutvikling i Tromsøregionen.",),
)

SKANNET = Spec(
    key="skannet",
    filename="skannet-referat-2015.txt",
    title="Skannet referat 2015",
    meeting=date(2015, 6, 10),
    regions=("Sør-Troms",),
    ocr_pages=(1,),
    pages=("Referat fra regionrådet. Vindkraft ble drøftet.", "Underskrifter."),
)

HOSTILE = Spec(
    key="hostile",
    filename=f"{IMG}.txt",
    title=f"{SCRIPT} Vindkraft {IMG}",
    meeting=date(2018, 5, 2),
    regions=("Ofoten", '<b>Ond</b>"region'),
    municipalities=(SCRIPT,),
    evidence=(Evidence("title", SCRIPT, 1, f"tittel {SCRIPT} og {IMG}"),),
    pages=(f"Vindkraft {SCRIPT} og {IMG} i teksten.",),
)

DOCTYPES_CYCLE = ("minutes", "notice", "minutes", "other")
REGIONS_CYCLE = ("Ofoten", "Sør-Troms", "Tromsøregionen")


def filler(n: int) -> Spec:
    year = 2012 + n % 8
    return Spec(
        key=f"styremote-{n:02d}",
        filename=f"styremote-{n:02d}.txt",
        doctype=DOCTYPES_CYCLE[n % len(DOCTYPES_CYCLE)],
        title=f"Styremøte {n} i regionrådet",
        meeting=date(year, 1 + n % 12, 1 + n),
        regions=(REGIONS_CYCLE[n % len(REGIONS_CYCLE)],),
        pages=(f"Styremøte {n}. Sak {n}/{year % 100} Vindkraft og kraftlinjer i regionen.",),
        ingested=datetime(2026, 10, 1, tzinfo=UTC) + timedelta(hours=n),
    )


SPECS = (REFERAT, INNKALLING, SORTROMS, SOKNAD, SKANNET, HOSTILE, *map(filler, range(FILLERS)))


def add_documents(config: ArchiveConfig, specs: tuple[Spec, ...], folder: Path) -> dict[str, str]:
    """Put documents into the archive (created if need be); their ids by spec key."""
    ids = {}
    with open_archive(config) as archive, archive.writing():
        for spec in specs:
            doc, source = make_document(spec, folder)
            archive.store.add(source, doc.sha256)
            archive.catalog.put(doc)
            ids[spec.key] = doc.id
        archive.sync_index()
    return ids


def build_archive(root: Path) -> tuple[ArchiveConfig, dict[str, str]]:
    """The test archive under root: its config and the ids of its documents by key."""
    config = ArchiveConfig(home=root / "home")
    return config, add_documents(config, SPECS, root / "src")
