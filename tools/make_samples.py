"""Render the bundled sample documents from tools/sample_sources/ into samples/ and check labels.

Each source is a UTF-8 text file: a header of ``key: value`` lines, a line ``---``, then the
document text. A line holding only ``\\f`` (backslash, f) starts a new page: a PDF page, or a
form feed in a text file. In the text, a line starting with ``!! ``
is the document title and ``## `` a heading; both markers are dropped from the output and only
change the font in a PDF.

Header keys: ``file`` (output name in samples/), ``format`` (pdf | txt), ``encoding``
(utf-8 | utf-8-sig | cp1252 | utf-16; txt only), ``newline`` (lf | crlf; txt only),
``created`` (ISO date for the PDF metadata), and the labels ``doctype``, ``meeting_date``
(ISO or ``null``), ``dates``, ``regions``, ``municipalities`` (comma-separated) and ``title``.

    python tools/make_samples.py           # write samples/ and tests/data/samples-labels.json
    python tools/make_samples.py --check   # verify the labels of samples/ and tests/data/labelled/
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "sample_sources"
SAMPLES = ROOT / "samples"
LABELS = ROOT / "tests" / "data" / "samples-labels.json"
LABELLED = ROOT / "tests" / "data" / "labelled"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

DOCTYPES = ("notice", "minutes", "application", "other")
REGIONS = ("Ofoten", "Sør-Troms", "Tromsøregionen", "Hålogaland", "Nord-Troms")
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
LABEL_KEYS = ("doctype", "meeting_date", "dates", "regions", "municipalities")
MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


@dataclass(frozen=True)
class Source:
    """One sample document: where it goes, how it is written and what it is labelled."""

    path: Path
    header: dict[str, str]
    text: str

    @property
    def file(self) -> str:
        return self.header["file"]

    @property
    def pages(self) -> list[str]:
        return self.text.split("\f")

    def labels(self) -> dict[str, object]:
        h = self.header
        return {
            "doctype": h["doctype"],
            "meeting_date": None if h["meeting_date"] == "null" else h["meeting_date"],
            "dates": split_list(h["dates"]),
            "regions": split_list(h["regions"]),
            "municipalities": split_list(h["municipalities"]),
            "title": h.get("title", ""),
        }


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def read_source(path: Path) -> Source:
    """Parse a source file into its header and its document text (markers kept)."""
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n---\n")
    if not sep:
        raise SystemExit(f"{path.name}: no '---' line after the header")
    header: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if not colon:
            raise SystemExit(f"{path.name}: header line without a colon: {line!r}")
        header[key.strip()] = value.strip()
    header["file"] = unicodedata.normalize("NFC", header["file"])
    text = (body.rstrip("\n") + "\n").replace("\n\\f\n", "\n\f")
    return Source(path, header, text)


def plain(text: str) -> str:
    """The document text as a reader sees it: layout markers removed."""
    return re.sub(r"(?m)(^|\f)(?:!! |## )", r"\1", text)


def render_txt(src: Source, out: Path) -> None:
    text = plain(src.text)
    if src.header.get("newline", "lf") == "crlf":
        text = text.replace("\n", "\r\n")
    encoding = src.header.get("encoding", "utf-8")
    if encoding not in ENCODINGS:
        raise SystemExit(f"{src.path.name}: unknown encoding {encoding}")
    # For UTF-16 the byte order is explicit, so the output does not depend on the machine.
    utf16 = encoding == "utf-16"
    out.write_bytes(b"\xff\xfe" + text.encode("utf-16-le") if utf16 else text.encode(encoding))


def render_pdf(src: Source, out: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.fromisoformat(src.header["created"]).replace(tzinfo=UTC))
    pdf.set_title(src.header["title"])
    pdf.set_author(src.header.get("author", ""))
    pdf.set_creator("Regionarkiv tools/make_samples.py")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=16)
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("Body", "", str(regular))
        pdf.add_font("Body", "B", str(bold))
        family = "Body"
    else:  # core font: only cp1252 text can be written
        family = "Helvetica"
    for page in src.pages:
        pdf.add_page()
        for line in page.strip("\n").split("\n"):
            if not line.strip():
                pdf.ln(2.5)
                continue
            if line.startswith("!! "):
                pdf.set_font(family, "B", 14)
                pdf.multi_cell(0, 7, line[3:], align="L", new_x="LMARGIN", new_y="NEXT")
            elif line.startswith("## "):
                pdf.set_font(family, "B", 10.5)
                pdf.multi_cell(0, 5.5, line[3:], align="L", new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font(family, "", 9.5)
                pdf.multi_cell(0, 4.8, line, align="L", new_x="LMARGIN", new_y="NEXT")
    if pdf.page_no() != len(src.pages):
        raise SystemExit(
            f"{src.path.name}: {len(src.pages)} source pages became {pdf.page_no()} PDF pages"
        )
    pdf.output(str(out))


def render_all() -> None:
    """Write every sample and tests/data/samples-labels.json."""
    sources = [read_source(p) for p in sorted(SOURCES.glob("*.txt"))]
    names = [s.file for s in sources]
    if len(set(names)) != len(names):
        raise SystemExit("two sources name the same output file")
    SAMPLES.mkdir(exist_ok=True)
    labels: dict[str, object] = {}
    for src in sources:
        out = SAMPLES / src.file
        if src.header["format"] == "pdf":
            render_pdf(src, out)
        else:
            render_txt(src, out)
        labels[src.file] = src.labels()
    text = json.dumps(dict(sorted(labels.items())), ensure_ascii=False, indent=2)
    LABELS.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(sources)} samples to {SAMPLES} and their labels to {LABELS}")


def date_forms(day: date) -> re.Pattern[str]:
    """A pattern matching the ways a day can be written, year optional for written months."""
    d, m, y, yy = day.day, day.month, day.year, day.year % 100
    month = MONTHS[m - 1]
    names = rf"(?:{month}|{month[:3]}\.?)" if m != 9 else r"(?:september|sept?\.?)"
    other_day = r"(?:\s*(?:[-–.]|og|til)\s*\d{1,2}\.?)?"
    numeric_year = rf"(?:[./]\s?(?:{y}|{yy:02d})|\.)?"
    alternatives = [
        rf"(?<!\d)0?{d}\.\s?0?{m}{numeric_year}(?!\d\.\d)",  # 15.03.16, 15.3.2016, 15.03.
        rf"(?<!\d)0?{d}/0?{m}\s?-\s?(?:{y}|{yy:02d})",  # 15/3-16
        rf"(?<!\d)0?{d}\.?\s*[-–]\s*\d{{1,2}}\.\s?0?{m}\.",  # 19.–20.10.2016
        rf"(?<!\d){y}-{m:02d}-{d:02d}",  # 2016-03-15
        rf"(?<!\d)0?{d}\.?{other_day}\s*{names}(?![a-zæøå])",  # 15. mars, 28.-29. april
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE)


def check_weekdays(name: str, text: str, dates: set[date]) -> list[str]:
    """Every 'weekday + date' in the text must agree with a labelled date."""
    problems = []
    pattern = re.compile(
        rf"\b(?P<wd>{'|'.join(WEEKDAYS)})\s+(?:den\s+)?(?P<d>\d{{1,2}})\.\s*"
        rf"(?:(?P<m>\d{{1,2}})\.|(?P<mn>{'|'.join(MONTHS)}))",
        re.IGNORECASE,
    )
    for match in pattern.finditer(text):
        month = int(match["m"]) if match["m"] else MONTHS.index(match["mn"].lower()) + 1
        if not 1 <= month <= 12:
            continue
        wanted = WEEKDAYS.index(match["wd"].lower())
        fits = [x for x in dates if (x.day, x.month) == (int(match["d"]), month)]
        if not any(x.weekday() == wanted for x in fits):
            problems.append(f"{name}: {match[0]!r} has no labelled date on that weekday")
    return problems


def check_labels(name: str, text: str, labels: dict[str, object]) -> list[str]:
    """Problems with one document's labels, as readable lines."""
    problems = []
    missing = [k for k in LABEL_KEYS if k not in labels]
    if missing:
        return [f"{name}: missing label keys {missing}"]
    if labels["doctype"] not in DOCTYPES:
        problems.append(f"{name}: unknown doctype {labels['doctype']!r}")
    raw_dates = labels["dates"]
    assert isinstance(raw_dates, list)
    if raw_dates != sorted(set(raw_dates)):
        problems.append(f"{name}: dates are not sorted and unique")
    dates = {date.fromisoformat(x) for x in raw_dates}
    flat = re.sub(r"\s+", " ", text)
    for day in sorted(dates):
        if not date_forms(day).search(flat):
            problems.append(f"{name}: {day} is labelled but not found in the text")
    meeting = labels["meeting_date"]
    if labels["doctype"] in ("notice", "minutes"):
        if meeting is None:
            problems.append(f"{name}: a {labels['doctype']} without a meeting_date")
        elif date.fromisoformat(str(meeting)) not in dates and not date_forms(
            date.fromisoformat(str(meeting))
        ).search(name):
            problems.append(f"{name}: meeting_date {meeting} is neither in dates nor file name")
    elif meeting is not None:
        problems.append(f"{name}: only notices and minutes have a meeting_date")
    for key in ("regions", "municipalities"):
        values = labels[key]
        assert isinstance(values, list)
        if values != sorted(set(values)):
            problems.append(f"{name}: {key} are not sorted and unique")
    regions = labels["regions"]
    assert isinstance(regions, list)
    problems += [f"{name}: unknown region {r!r}" for r in regions if r not in REGIONS]
    problems += check_weekdays(name, flat, dates)
    return problems


def check_all() -> int:
    """Check the sample labels and the labelled evaluation set; return an exit status."""
    problems: list[str] = []
    sources = [read_source(p) for p in sorted(SOURCES.glob("*.txt"))]
    stored = json.loads(LABELS.read_text(encoding="utf-8"))
    for src in sources:
        if stored.get(src.file) != src.labels():
            problems.append(f"{src.file}: {LABELS.name} is stale; run make_samples.py")
        if not (SAMPLES / src.file).exists():
            problems.append(f"{src.file}: not rendered")
        problems += check_labels(src.file, plain(src.text), src.labels())
    labels_path = LABELLED / "labels.json"
    labelled = json.loads(labels_path.read_text(encoding="utf-8")) if labels_path.exists() else {}
    files = {p.name for p in LABELLED.glob("*.txt")}
    problems += [f"{n}: file without labels" for n in sorted(files - labelled.keys())]
    problems += [f"{n}: labels without file" for n in sorted(labelled.keys() - files)]
    for name in sorted(files & labelled.keys()):
        text = (LABELLED / name).read_text(encoding="utf-8")
        problems += check_labels(name, text, labelled[name])
    for line in problems:
        print(line)
    print(
        f"checked {len(sources)} samples and {len(labelled)} labelled documents: "
        f"{len(problems)} problem(s)"
    )
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify labels, write nothing")
    args = parser.parse_args()
    if args.check:
        return check_all()
    render_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
