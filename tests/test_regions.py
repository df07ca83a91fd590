"""Tests for the gazetteer files and find_places: aliases, inflections, former names, traps."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from archive.errors import GazetteerError
from archive.models import Evidence
from indexer.gazetteer import Gazetteer, load_gazetteer
from indexer.regions import Places, find_places, unknown_place_names

DATA = resources.files("indexer") / "data"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def places(text: str, gazetteer: Gazetteer) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found = find_places([text], gazetteer)
    return found.regions, found.municipalities


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        # Canonical names and aliases, in any case and inflected.
        ("Ofoten regionråd møtes i morgen.", ("Ofoten",)),
        ("Strategisk næringsplan for Ofotens kommuner.", ("Ofoten",)),
        ("Fra Narvikregionens søknad til Byregionprogrammet.", ("Ofoten",)),
        ("Styret i Ofoten regionrådet vedtok planen.", ("Ofoten",)),
        ("HARSTADREGIONEN", ("Sør-Troms",)),
        ("Harstadregionen sin søknad", ("Sør-Troms",)),
        ("Sør-Troms regionråd", ("Sør-Troms",)),
        ("et samarbeid med Sør Troms om stedsutvikling", ("Sør-Troms",)),
        ("et samarbeid med Sør–Troms", ("Sør-Troms",)),
        ("et samarbeid med sør-troms", ("Sør-Troms",)),
        ("Styrke Sør-Troms-kommunenes evne", ("Sør-Troms",)),
        ("Mål for Tromsøregionen", ("Tromsøregionen",)),
        ("Tromsøregionens råd for samarbeid", ("Tromsøregionen",)),
        ("i Tromsø-regionen", ("Tromsøregionen",)),
        ("Samtaler med Nord- Troms regionråd", ("Nord-Troms",)),
        ("Nord-Troms regionråd", ("Nord-Troms",)),
        ("Hålogalandsrådet ved ordførere", ("Hålogaland",)),
        ("(utvidet til Hålogalands) evne", ("Hålogaland",)),
        ("www.halogalandsradet.no/naeringsteam", ("Hålogaland",)),
        ("Hålogalandsrådets styre", ("Hålogaland",)),
        # Regions through a member kommune, current or former name.
        ("Møtet holdes i Narvik.", ("Ofoten",)),
        ("Ballangen kommune", ("Ofoten",)),
        ("Tysfjord kommune", ("Ofoten",)),
        ("Skånland kommune", ("Sør-Troms",)),
        ("Tjeldsund kommune", ("Ofoten",)),
        ("Lavangen og Salangen", ("Sør-Troms",)),
        ("Loabák", ("Sør-Troms",)),
        ("Romsa", ("Tromsøregionen",)),
        ("Gáivuotna", ("Nord-Troms",)),
        ("Omasvuotna", ("Tromsøregionen",)),
        ("Ráisa", ("Nord-Troms",)),
        ("Narvik og Harstad", ("Ofoten", "Sør-Troms")),
        # Hålogaland has no members of its own and does not imply its parts.
        ("Hålogalandsrådet", ("Hålogaland",)),
        # No region: places outside the gazetteer, the bare word, compounds, institutions.
        ("Studietur til Bodø, nov 2021", ()),
        ("Møte i Oslo og Alta", ()),
        ("Nytt fokus på fornybar energi i regionen.", ()),
        ("Regionrådet møtes.", ()),
        ("Tur til Narvikfjellet", ()),
        ("Evenesmarka", ()),
        ("Alpe- og Lyngenlam", ()),
        ("Hålogaland lagmannsrett avsa dom.", ()),
        ("Hålogaland teater spiller.", ()),
        ("Hålogalandsbrua", ()),
        ("Ofotbanen", ()),
        ("Troms fylkeskommune", ()),
        # Surnames.
        ("Kari Harstad ledet møtet.", ()),
        ("Referent: K. Narvik", ()),
        ("Harstad, Kari (leder)", ()),
        ("2) Lisbeth Lyngen (Sp) fremmet forslag", ()),
        ("Visit Narvik og Visit Harstad", ("Ofoten", "Sør-Troms")),
    ],
)
def test_regions(text: str, regions: tuple[str, ...], gazetteer: Gazetteer) -> None:
    assert places(text, gazetteer)[0] == regions


@pytest.mark.parametrize(
    ("text", "municipalities"),
    [
        ("Møte i Narvik og Harstad", ("Harstad", "Narvik")),
        ("NARVIK KOMMUNE", ("Narvik",)),
        ("Narviks ordfører", ("Narvik",)),
        ("Tromso kommune", ("Tromsø",)),
        # Former names map to today's kommune; Tysfjord was split in two.
        ("Ballangen", ("Narvik",)),
        ("Tysfjord", ("Hamarøy", "Narvik")),
        ("Skånland", ("Tjeldsund",)),
        ("Lenvik og Torsken kommuner", ("Senja",)),
        ("Kvalsund", ("Hammerfest",)),
        # Sámi and Kven names.
        ("Porsáŋgu", ("Porsanger",)),
        ("Porsanki", ("Porsanger",)),
        ("Guovdageaidnu", ("Kautokeino",)),
        ("Kárášjohka", ("Karasjok",)),
        ("Unjárga", ("Nesseby",)),
        ("Deatnu", ("Tana",)),
        ("Kaivuono", ("Kåfjord",)),
        ("Hábmer", ("Hamarøy",)),
        ("Snåase", ("Snåsa",)),
        ("Raarvihke", ("Røyrvik",)),
        ("Divtasvuotna", ("Hamarøy", "Narvik")),
        ("Evenášši", ("Evenes",)),
        ("Dielddanuorri", ("Tjeldsund",)),
        ("Hárstták", ("Harstad",)),
        ("Tromssa", ("Tromsø",)),
        ("Ivgu", ("Lyngen",)),
        ("Aarborte", ("Hattfjelldal",)),
        # Multi-word names and their separators.
        ("Sør-Varanger kommune", ("Sør-Varanger",)),
        ("Sør Varanger", ("Sør-Varanger",)),
        ("Evje og Hornnes", ("Evje og Hornnes",)),
        ("Nordre Follo", ("Nordre Follo",)),
        # Outside every region.
        ("Bodø, Oslo og Alta", ("Alta", "Bodø", "Oslo")),
        # Names that are also words need a place context.
        ("Det tar en time.", ()),
        ("Time kommune", ("Time",)),
        ("TIME KOMMUNE", ("Time",)),
        ("TIME", ()),
        ("Vi bor i Time.", ("Time",)),
        ("Klepp, Time og Hå", ()),
        ("Klepp, Time og Hå kommuner", ("Hå", "Klepp", "Time")),
        ("Sandnes, Klepp, Time og Hå", ("Hå", "Klepp", "Sandnes", "Time")),
        ("Samarbeidskommuner: Vik, Sogndal", ("Sogndal", "Vik")),
        ("Sel er et dyr.", ()),
        ("Strand ble valgt til leder.", ()),
        ("Moss kommune", ("Moss",)),
        ("OS i Paris", ()),
        ("Fjord Line", ()),
        ("Les mer på Re:tenk utviklingsplan.", ()),
        ("Ski kommune", ("Nordre Follo",)),
        ("Han gikk på ski.", ()),
        # Surnames and people.
        ("Kari Lund", ()),
        ("Ole Harstad", ()),
        ("Anne-Grete Narvik", ()),
        ("Lund, Kari", ()),
        ("Eidsvoll Sunniva Holmås", ()),
        ("FØSKER MARI ROLLAG", ()),
        ("Hilde Normark", ()),
        ("Visit Harstad", ("Harstad",)),
        ("et møte med Kystverket Harstad om havna", ("Harstad",)),
        ("et møte med Equinor Harstad", ("Harstad",)),
        ("et møte med Lisbeth Harstad", ()),
        ("Fra Harstad Tidende", ("Harstad",)),
        # Inside other words.
        ("Narvikfjellet", ()),
        ("Tromsøregionen", ()),
        ("Narviksamfunnet", ()),
        ("post@narvik.kommune.no", ()),
        # Kommuner of the same name: the county or a neighbour decides.
        ("Herøy kommune i Nordland", ("Herøy (Nordland)",)),
        ("Herøy og Ulstein", ("Herøy (Møre og Romsdal)", "Ulstein")),
        ("Herøy kommune", ("Herøy (Møre og Romsdal)", "Herøy (Nordland)")),
        ("Våler i Hedmark", ("Våler (Innlandet)",)),
        # Glued PDF text: a name runs into the next word or follows a label with no space.
        ("Kommune:SolundB.1 Forkasta", ("Solund",)),
        ("Valgstyret iBodø kommune", ("Bodø",)),
        ("Kommune:LusterFylke:Vestland", ("Luster",)),
        # A word hyphenated over a line break is one word.
        ("Møte med Gratan-\ngen kommune", ("Gratangen",)),
        # A middle name between a given name and a kommune name: a person.
        ("15\n\nAnne Sørlie Bodø\n\n0,00", ()),
        ("Tor Egil Alta\n", ()),
    ],
)
def test_municipalities(text: str, municipalities: tuple[str, ...], gazetteer: Gazetteer) -> None:
    assert places(text, gazetteer)[1] == municipalities


def test_evidence_gives_page_and_words_around(gazetteer: Gazetteer) -> None:
    line = "Samarbeidskommuner: Tysfjord, Tjeldsund og Evenes. Folketall: 26 095"
    pages = ["Forside", line.replace(". ", ".\n")]
    assert find_places(pages, gazetteer) == Places(
        regions=("Ofoten",),
        municipalities=("Evenes", "Hamarøy", "Narvik", "Tjeldsund"),
        evidence=(
            Evidence("region", "Ofoten", 2, line),
            Evidence("municipality", "Evenes", 2, line.removeprefix("Samarbeidskommuner: ")),
            Evidence("municipality", "Hamarøy", 2, line),
            Evidence("municipality", "Narvik", 2, line),
            Evidence("municipality", "Tjeldsund", 2, line),
        ),
    )


def test_snippet_is_cut_at_words(gazetteer: Gazetteer) -> None:
    text = "Dette er en lang innledning om mange ting før vi kommer til Narvik, og så " * 3
    evidence = find_places([text], gazetteer).evidence[0]
    assert (
        evidence.snippet
        == "om mange ting før vi kommer til Narvik, og så Dette er en lang innledning om"
    )


def test_decomposed_text_and_invisible_characters(gazetteer: Gazetteer) -> None:
    decomposed = "Tromsø".replace("ø", "o\u0338") + " og Ha\u030alogaland og Ofo\u00adten"
    assert places(decomposed, gazetteer) == (
        ("Hålogaland", "Ofoten", "Tromsøregionen"),
        ("Tromsø",),
    )


def test_no_pages(gazetteer: Gazetteer) -> None:
    assert find_places([], gazetteer) == Places((), (), ())


def test_shipped_gazetteer_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_kommune_file_has_every_current_kommune() -> None:
    data = tomllib.loads((DATA / "kommuner.toml").read_text(encoding="utf-8"))
    kommuner = data["kommune"]
    assert len(kommuner) == 357
    written = [n for k, e in kommuner.items() for n in e.get("names", [k])]
    assert len(set(written)) == len(written) - 2  # Herøy and Våler are two kommuner each
    counties = {e["county"] for e in kommuner.values()}
    assert len(counties) == 15


def test_every_region_member_is_a_kommune(gazetteer: Gazetteer) -> None:
    known = set(gazetteer.municipalities) | set(gazetteer.former)
    members = {m for region in gazetteer.regions.values() for m in region.members}
    assert members <= known
    assert {"Ofoten", "Sør-Troms", "Tromsøregionen", "Hålogaland", "Nord-Troms"} <= set(
        gazetteer.regions
    )
    assert gazetteer.regions["Hålogaland"].parts == ("Ofoten", "Sør-Troms")


def test_former_kommuner_of_2020(gazetteer: Gazetteer) -> None:
    former = gazetteer.former
    assert (former["Ballangen"].year, former["Ballangen"].now) == (2020, ("Narvik",))
    assert former["Tysfjord"].now == ("Narvik", "Hamarøy")
    assert former["Skånland"].now == ("Tjeldsund",)
    assert gazetteer.regions_of("Skånland") == ("Sør-Troms",)


def test_extra_file_extends_the_shipped_gazetteer(tmp_path: Path) -> None:
    extra = tmp_path / "gazetteer.toml"
    extra.write_text(
        """
        [region."Ofoten"]
        aliases = ["Ofotregionen"]

        [region."Salten"]
        aliases = ["Salten regionråd"]
        members = ["Bodø", "Fauske", "Nyby"]

        [kommune]
        "Nyby" = { county = "Nordland", sami = ["Ođđasiida"] }
        "Narvik" = { names = ["Narvik", "Narvík"] }

        [former]
        "Gamleby" = { year = 1964, now = ["Nyby"] }
        """,
        encoding="utf-8",
    )
    gazetteer = load_gazetteer(extra)
    assert gazetteer.sources == ("kommuner.toml", "gazetteer.toml", str(extra))
    assert places("Ofotregionen og Bodø", gazetteer) == (("Ofoten", "Salten"), ("Bodø",))
    assert places("Ođđasiida og Gamleby", gazetteer) == (("Salten",), ("Nyby",))
    assert places("Narvík", gazetteer) == (("Ofoten",), ("Narvik",))
    # The shipped gazetteer is unchanged.
    assert places("Bodø", load_gazetteer()) == ((), ("Bodø",))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[region.Ofoten\nmembers = 1", "not valid TOML"),
        ("[regions.X]\nmembers = []", "unknown table or key 'regions'"),
        ('[region.X]\nmembers = "Narvik"', "region 'X': members must be a list of names"),
        ('[region.X]\nmember = ["Narvik"]', "region 'X': unknown key 'member'"),
        ('[region.X]\nmembers = ["Narvk"]', "region 'X': member 'Narvk' is not a kommune"),
        ('[region.X]\naliases = ["Narvik"]', "alias 'Narvik' is a kommune"),
        ('[region.X]\nparts = ["Y"]', "region 'X': part 'Y' is not a region"),
        ('[kommune]\n"Nyby" = { sami = ["N"] }', "kommune 'Nyby': county is missing"),
        ('[former]\n"Gamleby" = { year = 1964, now = ["Y"] }', "'Y' is not a current kommune"),
        ('[former]\n"Gamleby" = { year = "1964", now = [] }', "year must be a number"),
        ('[former]\n"Bodø" = { year = 1964, now = ["Narvik"] }', "same name"),
        ('needs_context = ["Xyz"]', "needs_context 'Xyz': is not the name of a kommune"),
        ('[counties]\n"Gamle" = ["Mars"]', "'Mars' is not the county of any kommune"),
    ],
)
def test_malformed_extra_file(tmp_path: Path, content: str, reason: str) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError) as error:
        load_gazetteer(extra)
    assert str(extra) in error.value.message
    assert reason in error.value.message


def test_extra_file_that_is_missing_or_not_text(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match=r"missing\.toml: cannot read"):
        load_gazetteer(tmp_path / "missing.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(GazetteerError, match=r"binary\.toml: not UTF-8"):
        load_gazetteer(binary)


@pytest.mark.parametrize(
    ("text", "municipalities"),
    [
        # A kommune between a given name and a surname is a middle name.
        ("Saksbehandler: Rikke Gausdal Larsen\nTil Lillehammer kommune", ("Lillehammer",)),
        ("Kontakt Ola Nordkapp Hansen om saken.", ()),
        # ... but not before a place noun or after a label word.
        ("Til Lyngen Kommune v/ordfører", ("Lyngen",)),
        ("Møtet holdes på Narvik Rådhus.", ("Narvik",)),
        # Lower-case names in a text layer that lost its capitals, with a place context.
        ("høringssvar fra lyngen kommune", ("Lyngen",)),
        ("Møtet ble holdt i kristiansand og arendal.", ("Arendal", "Kristiansand")),
        # Without a place context a lower-case name is no kommune.
        ("sortland er et ord her", ()),
        # A text layer that lost a ligature, in part or whole.
        ("Plan og bygg, Kristansand kommune", ("Kristiansand",)),
        ("Kommune Krisansand Adresse Rådhusgata 20", ("Kristiansand",)),
        ("Hafjelldal kommune", ("Hattfjelldal",)),
    ],
)
def test_middle_names_and_lower_case_names(
    text: str, municipalities: tuple[str, ...], gazetteer: Gazetteer
) -> None:
    assert places(text, gazetteer)[1] == municipalities


def test_unknown_place_names_are_offered_for_the_gazetteer(gazetteer: Gazetteer) -> None:
    texts = [
        "Vesterålen regionråd møttes i Sortland. Vesterålen har fem kommuner.",
        "Saken gjelder Vesterålen og Lofoten. Kari Nordby deltok i Stokmarknes.",
        "Referat fra Vesterålen regionråd. Møtet i Stokmarknes. Narvik og Ofoten deltok.",
    ]
    assert unknown_place_names(texts, gazetteer, minimum=2) == [
        ("Vesterålen", 4),
        ("Stokmarknes", 2),
    ]


def test_stats_lists_place_names_missing_from_the_gazetteer(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from indexer.cli import cli

    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(3):
        (docs / f"referat{n}.txt").write_text(
            f"Referat fra Vesterålen regionråd {n + 1}. mars 2024\nMøtet i Sortland.\n", "utf-8"
        )
    home = ["--home", str(tmp_path / "arkiv-data")]
    runner = CliRunner()
    assert runner.invoke(cli, [*home, "index", str(docs)]).exit_code == 0
    result = runner.invoke(cli, [*home, "stats", "--places"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "not in the gazetteer: Vesterålen 3"
