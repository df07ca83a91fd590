"""The opening of a document's body text past its letterhead, for hits of a list without words."""

from __future__ import annotations

import re

OPENING_CHARS = 240
# The first line with at least this many words, not letterhead, starts the body text.
BODY_WORDS = 4
# A line followed this closely by letterhead is the sender's or addressee's name.
LETTERHEAD_AFTER = 1

LETTERHEAD = re.compile(
    r"""\b(?: postboks | pb\.? \s* \d | postadresse | besøksadresse | adresse:
            | org\.? \s* n[or]\b | org\.? \s* nr | organisasjonsnumm?er        # org.nr. 123 456 789
            | tlf\b | telefon | telefaks | faks\b | mobil\b                      # phones
            | e-?post | epost | www\. | https?://                                # addresses online
            | bankgiro | kontonr | konto\s*nr
            | vår \s+ ref | deres \s+ ref | saksbehandler | arkivkode | saksnr
          )
      | ^\s* (?: til | kopi | fra | mottaker | att\.? | attn\.? ) \s* :      # addressees
      | [\w.+-]+ @ [\w-]+ \. \w+                                               # an e-mail address
      | \+47 | \b\d{2} (?: [ ]\d{2}){3} \b | \b\d{3} [ ]\d{2} [ ]\d{3} \b         # phone numbers
      | \S [ \t]{3,} \S                                                         # two columns
      | ^\s* [^\W\d][\w -]* , \s* \d{1,2} [./] \d{1,2} [./-] \d{2,4} \s*$  # Harstad, 12.04.16
      | \b\d{4} [ ]+ (?-i: [A-ZÆØÅ][a-zæøå]+ ) (?! \s+ \d)                     # 9151 Storslett
    """,
    re.VERBOSE | re.IGNORECASE,
)
WORD = re.compile(r"[^\W\d_]{2,}")


def is_letterhead(line: str) -> bool:
    return LETTERHEAD.search(line) is not None


def body_opening(text: str, limit: int = OPENING_CHARS) -> str:
    """The opening of the body: from the first line with some words that is neither letterhead
    nor a sender's or addressee's name (a line the letterhead follows closely)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next(
        (
            n
            for n, line in enumerate(lines)
            if len(WORD.findall(line)) >= BODY_WORDS
            and not is_letterhead(line)
            and not any(is_letterhead(after) for after in lines[n + 1 : n + 1 + LETTERHEAD_AFTER])
        ),
        0,
    )
    flat = " ".join(" ".join(lines[start:]).split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > 0 else limit] + " …"
