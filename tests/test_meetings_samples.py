"""The bundled samples grouped into meetings: three whole meetings with an attachment each."""

from __future__ import annotations

from datetime import date

from indexer.extract import extract_text
from indexer.gazetteer import load_gazetteer
from indexer.meetings import describe_document, group_meetings
from indexer.metadata import extract_metadata

from .conftest import SAMPLES


def test_samples_hold_whole_meetings() -> None:
    gazetteer = load_gazetteer()
    sources = []
    for path in sorted(SAMPLES.iterdir()):
        pages = extract_text(path).pages
        metadata = extract_metadata(pages, path.name, gazetteer=gazetteer)
        sources.append(describe_document(path.name, path.name, pages, metadata))
    meetings = group_meetings(sources)
    found = {(m.date, m.body): [(d.role, d.filename) for d in m.documents] for m in meetings}
    assert found[(date(2017, 5, 11), "Sør-Troms regionråd")] == [
        ("notice", "Møteinnkalling Sør-Troms regionråd mai 2017.txt"),
        ("minutes", "Protokoll Sør-Troms regionråd 11.5.2017.pdf"),
        ("attachment", "Søknad felles folkehelsekoordinator Sør-Troms 2017.pdf"),
    ]
    assert found[(date(2019, 3, 21), "Nord-Troms regionråd")] == [
        ("notice", "Innkalling Nord-Troms regionråd mars 2019.txt"),
        ("minutes", "Protokoll Nord-Troms regionråd 21.03.2019.pdf"),
        ("attachment", "Saksnotat destinasjonsstrategi Nord-Troms 2019.txt"),
    ]
    assert found[(date(2020, 2, 14), "Hålogalandsrådet")] == [
        ("notice", "Innkalling Hålogalandsrådet 14. februar 2020.pdf"),
        ("minutes", "Protokoll Hålogalandsrådet 2020-02-14.txt"),
        ("attachment", "Handlingsplan 2020 strategisk næringsplan Hålogaland.txt"),
    ]
    assert len(meetings) == 8
    sortroms = next(m for m in meetings if m.body == "Sør-Troms regionråd")
    item = next(i for i in sortroms.items if i.number == "17/2017")
    assert item.title == "Folkehelsearbeid i Sør-Troms – felles folkehelsekoordinator"
    assert item.decision is not None
    assert item.decision.startswith("Sekretariatet sender søknad om tilskudd")
