"""A faster reading of a PDF's plain indirect objects, with pdfminer's own parser for the rest.

pdfminer tokenises a PDF one character class at a time in Python, with a state machine and a
few function calls per token: on a PDF of 10,000 small pages, reading the 20,000 page and
content objects took more than half of the extraction. `QuickPDFDocument` reads an object's
bytes with one regular expression and builds the same values (dictionaries, arrays, numbers,
names, booleans, null, references); anything else in an object (a string, a comment, a `#` in
a name, a malformed sequence, an object longer than `LONG_CHUNK_BYTES`) hands the whole object
to pdfminer's parser, so every object comes out exactly as pdfminer would give it.
"""

from __future__ import annotations

import re
from typing import Any

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdftypes import PDFObjRef, PDFStream
from pdfminer.psparser import KWD, LIT, PSLiteral, literal_name

# The bytes read for one object: page, font and content-stream dictionaries fit easily; a
# longer object (a page tree's list of 10,000 pages) is read again with the longer chunk.
CHUNK_BYTES = 4096
LONG_CHUNK_BYTES = 1 << 20
# A token that stops the quick reading this close to the end of the bytes read may be cut off.
TAIL_BYTES = 512
CR, LF = ord("\r"), ord("\n")
EOL = re.compile(rb"[\r\n]")
KEYWORD_STREAM = KWD(b"stream")

# One token after optional white space (and NULs, which pdfminer skips). Each alternative ends
# where pdfminer's tokeniser ends the token, and requires the character after it to be in the
# bytes read (a token at the end of the chunk might go on). Not covered, so handed to pdfminer:
# strings, comments, "#" escapes, "{ }", a lone sign or point, a single "<" or ">".
TOKEN = re.compile(
    rb"""[\s\x00]*(?:
        (?P<ref>(?P<objid>\d+)[\s\x00]+\d+[\s\x00]+R)(?=[/%\[\]()<>{}\s])  # a reference
      | (?P<float>[-+]?(?:\d+\.\d*|\.\d+))(?=[^0-9])  # pdfminer stops at the next non-digit
      | (?P<int>[-+]?\d+)(?=[^0-9.])
      | /(?P<name>[^#/%\[\]()<>{}\s]*)(?=[/%\[\]()<>{}\s])  # a name without # escapes
      | (?P<word>[A-Za-z][^#/%\[\]()<>{}\s]*)(?=[/%\[\]()<>{}\s])  # true, false, null, R, ...
      | (?P<open><<|\[)
      | (?P<close>>>|\])
    )""",
    re.VERBOSE,
)
HEADER = re.compile(rb"[\s\x00]*(?P<objid>\d+)[\s\x00]+\d+[\s\x00]+obj(?=[/%\[\]()<>{}\s])")


class Unusual(Exception):
    """Raised inside the quick reading for anything it leaves to pdfminer."""


class CutShort(Unusual):
    """Raised when the bytes read end before the object does (or near where it might)."""


class QuickPDFDocument(PDFDocument):
    """A PDFDocument whose plain indirect objects are read by `read_plain_object`."""

    def _getobj_parse(self, pos: int, objid: int) -> object:
        assert self._parser is not None
        parser = self._parser
        for size in (CHUNK_BYTES, LONG_CHUNK_BYTES):
            saved = parser.fp.tell()
            parser.fp.seek(pos)
            data = parser.fp.read(size)
            parser.fp.seek(saved)  # the parser's own reading goes on where it was
            try:
                value, end = read_plain_object(data, objid, self)
            except CutShort:
                if len(data) < size:
                    break  # the whole rest of the file was read: it is the object itself
                continue
            except Unusual:
                break
            if end is None:
                return value
            stream = self.quick_stream(data, value, end)
            if stream is not None:
                return stream
            # pdfminer reads the data (its length may be an indirect object, or reach past
            # the bytes read) and the rest of the object, from the dictionary read here.
            parser.seek(pos + end)
            parser.push((pos, value))
            parser.do_keyword(pos + end, KEYWORD_STREAM)
            return parser.nextobject()[1]
        return super()._getobj_parse(pos, objid)

    def quick_stream(self, data: bytes, dic: dict[str, Any], end: int) -> PDFStream | None:
        """The stream whose dictionary `dic` ends before "stream" at `end` of `data`, read as
        pdfminer's PDFParser reads it, when all of it is in `data`; else None."""
        length = dic.get("Length")
        if type(length) is not int or length < 0 or self._parser is None or self._parser.fallback:
            return None
        eol = EOL.search(data, end)  # the data starts after the line of "stream"
        if eol is None or eol.end() >= len(data):
            return None
        start = eol.end() + (data[eol.start()] == CR and data[eol.end()] == LF)
        if start + length > len(data):
            return None
        # pdfminer looks for "endstream" from the end of the data on and reads on from it.
        close = data.find(b"endstream", start + length)
        if close < 0:
            return None
        after = TOKEN.match(data, close)
        if after is None or after["word"] != b"endstream":
            return None
        last = TOKEN.match(data, after.end())
        if last is None or last["word"] != b"endobj":
            return None
        return PDFStream(dic, data[start : start + length], self.decipher)


def read_plain_object(data: bytes, objid: int, doc: PDFDocument) -> tuple[Any, int | None]:
    """The value of the object `objid` whose "N G obj" starts `data`, and None, or its stream
    dictionary and where "stream" starts; raise Unusual for what pdfminer must read."""
    header = HEADER.match(data)
    if header is None or int(header["objid"]) != objid:
        raise Unusual
    pos = header.end()
    stack: list[list[Any]] = [[]]  # the open containers, the object itself at the bottom
    kinds: list[bytes] = []  # b"<<" or b"[" for each open container above the bottom
    while True:
        token = TOKEN.match(data, pos)
        if token is None:
            # A token may be cut by the end of the bytes read; a longer chunk may hold it.
            raise CutShort if len(data) - pos < TAIL_BYTES else Unusual
        kind = token.lastgroup
        items = stack[-1]
        if kind == "int":
            items.append(int(token["int"]))
        elif kind == "name":
            items.append(literal(token["name"]))
        elif kind == "ref":
            items.append(PDFObjRef(doc, int(token["objid"])))
        elif kind == "float":
            items.append(float(token["float"]))
        elif kind == "open":
            kinds.append(token["open"])
            stack.append([])
        elif kind == "close":
            if not kinds or kinds.pop() != (b"<<" if token["close"] == b">>" else b"["):
                raise Unusual
            stack.pop()
            stack[-1].append(as_dict(items) if token["close"] == b">>" else items)
        else:
            word = token["word"]
            if word == b"true" or word == b"false":
                items.append(word == b"true")
            elif word == b"null":
                items.append(None)
            elif kinds or len(items) != 1:
                raise Unusual  # a keyword inside a value, or not exactly one value
            elif word == b"endobj":
                return items[0], None
            elif word == b"stream" and isinstance(items[0], dict):
                return items[0], token.start("word")
            else:
                raise Unusual
        pos = token.end()


def literal(name: bytes) -> Any:
    """A name as pdfminer's tokeniser makes it: str when it is UTF-8, else bytes."""
    try:
        return LIT(name.decode("utf-8"))
    except UnicodeDecodeError:
        return LIT(name)


def as_dict(items: list[Any]) -> dict[str, Any]:
    """A dictionary as pdfminer builds it: keys are names, null values are left out."""
    if len(items) % 2 or not all(isinstance(key, PSLiteral) for key in items[::2]):
        raise Unusual
    pairs = zip(items[::2], items[1::2], strict=True)
    return {literal_name(key): value for key, value in pairs if value is not None}
