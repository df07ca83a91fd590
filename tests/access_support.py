"""A small archive with one restricted document, for the access tests (engine, web, attack)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from archive import ArchiveConfig, open_archive

from .webui_support import INNKALLING, REFERAT, SORTROMS, Spec, filler, make_document

SECRET_WORD = "glimmerfossvika"  # in the restricted document's text, title and file name only
SECRET_TITLE = "Avtale om Glimmerfossvika kraftverk"
SECRET_FILENAME = "glimmerfossvika-avtale.pdf"
SECRET_REGION = "Lødingen"  # a region no public document has
LEGAL_GROUND = "Offl. § 13 jf. fvl. § 13"

SECRET = Spec(
    key="hemmelig",
    filename=SECRET_FILENAME,
    doctype="application",
    is_pdf=True,
    title=SECRET_TITLE,
    meeting=date(2016, 3, 20),
    regions=("Ofoten", SECRET_REGION),
    pages=(
        "Avtale om Glimmerfossvika kraftverk. Vindkraft i Ofoten og styringsgruppen drøftet "
        "erstatning til grunneierne ved Glimmerfossvika.",
        "Glimmerfossvika: forhandlingene fortsetter i 2016.",
    ),
    ingested=datetime(2026, 11, 3, 8, 0, tzinfo=UTC),
)
# Public documents sharing its words (vindkraft, styringsgruppen, Ofoten), year and region.
PUBLIC_SPECS = (REFERAT, INNKALLING, SORTROMS, *map(filler, range(6)))


def build(root: Path, *, with_secret: bool) -> tuple[ArchiveConfig, dict[str, str]]:
    """An archive of the public documents, and with_secret the restricted one too."""
    config = ArchiveConfig(home=root / "home")
    specs = (*PUBLIC_SPECS, SECRET) if with_secret else PUBLIC_SPECS
    ids = {}
    with open_archive(config) as archive, archive.writing():
        for spec in specs:
            doc, source = make_document(spec, root / "src")
            if spec is SECRET:
                doc = replace(doc, access="restricted", legal_ground=LEGAL_GROUND)
            archive.store.add(source, doc.sha256)
            archive.catalog.put(doc)
            ids[spec.key] = doc.id
        archive.sync_index()
    return config, ids
