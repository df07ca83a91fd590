"""The OpenSearch index for the archive: settings (Norwegian analysis) and mapping.

The analysis mirrors the Whoosh side's views of a word with the engine's own filters:

- `text` (stemmed): lower case, Norwegian stop words, the `light_norwegian` stemmer.
- `text.exact`: lower case only, with positions: quoted phrases match the words as written.
- `text.folded`: lower case, `asciifolding` (æ→ae, ø→o, å→a, é→e), then `aa`→`a` and
  `oe`→`o`, unstemmed (`light_norwegian` cuts some words unevenly: `naeringsplan` gives
  `naeringspla` but `naeringsplanen` gives `naeringsplan`; the stemmed view covers inflection,
  this one spellings without æøå): `Tromso`,
  `Tromsoe` and `Tromsø` meet, as do `Kaafjord` and `Kåfjord`, and `naeringsplan` and
  `næringsplan`. This is the Whoosh side's `fold` (archive.language.folding) on both sides of the
  match, so neither the text nor the query needs to be spelt with æøå.
- `text.parts`: at index time a `dictionary_decompounder` adds the parts of a compound
  (`folkehelsearbeidet` gives `helse`, `arbeid`, `helsearbeid`, ...), unstemmed: the parts are
  the lexicon's own forms, and a stemmer after the decompounder mangles them (`helse` would lose
  its `-else`). Queries are not decompounded, so `helse` finds `folkehelsearbeidet` but
  `folkehelse` does not find every text about health. The word list is the compound lexicon
  of archive.language.compounds filtered by its own rules for what may be a part (see
  `compound_parts`).
  The engine adds every listed word it finds inside a compound, where the Whoosh side picks the
  single best split: `kystsoneplan` also yields `one`, so precision differs there.

The document fields come from the field table (archive.fields.index_fields()): its keyword
fields carry the filters and facets (regions, municipalities, doctype, year, body: the
meeting's organ, items and item_refs: agenda items listed and cited, cases) and `access`
("public" or "restricted", filtered in every query), its dates are dates, its text fields get
the views above. `text` (the pages) and `suggest`, a plain lower-cased field for the term
suggester (did-you-mean), are the index's own. The index is derived from the catalog and can
always be rebuilt.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from archive.fields import IndexField, index_fields
from archive.language.compounds import (
    LONG_ATOM,
    MIN_ATOM,
    MIN_FREQUENCY,
    MIN_FREQUENCY_LONG,
    NOT_PARTS,
    SHORT_ZIPF,
    SUFFIX_WORDS,
    Lexicon,
)

HIGHLIGHT_PRE = "<mark>"
HIGHLIGHT_POST = "</mark>"
# The field table's names that the index spells otherwise (`doc_id` since the first version).
INDEX_NAMES = {"id": "doc_id"}
FACET_FIELDS = tuple(f.name for f in index_fields() if f.is_faceted)
# Raised whenever the mapping or analysis changes: an index of another version is rebuilt.
# Version 6 added `item_refs` (5 lacked it; ready() adds it to a version-5 index in place).
MAPPING_VERSION = 6


def compound_parts(lexicon: Lexicon | None = None) -> list[str]:
    """The words that may be a compound's part, by the Whoosh decompounder's rules: alphabetic,
    at least MIN_ATOM letters, frequent enough (a lower floor from LONG_ATOM letters), a
    three-letter word only when common (SHORT_ZIPF), never a function word or a suffix that is
    also a word. Sorted, so that the index settings are the same on every run."""
    frequencies = (lexicon or Lexicon()).frequencies
    out = []
    for word, freq in frequencies.items():
        if len(word) < MIN_ATOM or not word.isalpha():
            continue
        if freq < (MIN_FREQUENCY_LONG if len(word) >= LONG_ATOM else MIN_FREQUENCY):
            continue
        if len(word) == MIN_ATOM and math.log10(freq) + 9.0 < SHORT_ZIPF:
            continue
        if word in NOT_PARTS or word in SUFFIX_WORDS:
            continue
        out.append(word)
    return sorted(out)


# A word capitalised inside a sentence (Arvid Strømsnes, Gunn Elise Bratsberg) is a name, whose
# letters are not compound parts: archive.language.words.is_proper_name as a regex (Java
# syntax). A capital after a full stop, a colon, a list mark, a number or at a line's start,
# and a word in capitals, are left alone. The lookahead comes first so that the costly
# lookbehind is tried only before a capital (a third of a document's indexing time otherwise).
PROPER_NAME = (
    r"(?=\p{Lu}\p{Ll})"  # a capital and a small letter: cheap to rule out everywhere else
    r"(?<=[^\s.!?:;•*\-–—(«»\"'#>|/\d][ \t\u00a0]{1,4})"  # inside a sentence
    r"\p{Lu}\p{Ll}\p{L}*"  # Capitalised, not in capitals
)


def analysis(parts: Iterable[str]) -> dict[str, Any]:
    """The `analysis` block of the index settings."""
    return {
        "char_filter": {
            "arkiv_no_names": {
                "type": "pattern_replace",
                "pattern": PROPER_NAME,
                "replacement": "",
            }
        },
        "filter": {
            "arkiv_stop": {"type": "stop", "stopwords": "_norwegian_"},
            "arkiv_stem": {"type": "stemmer", "language": "norwegian"},
            "arkiv_fold_aa": {"type": "pattern_replace", "pattern": "aa", "replacement": "a"},
            "arkiv_fold_oe": {"type": "pattern_replace", "pattern": "oe", "replacement": "o"},
            "arkiv_parts": {
                "type": "dictionary_decompounder",
                "word_list": list(parts),
                "min_word_size": 2 * MIN_ATOM,
                "min_subword_size": MIN_ATOM,
                "only_longest_match": False,
            },
        },
        "analyzer": {
            "arkiv_stemmed": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "arkiv_stop", "arkiv_stem"],
            },
            "arkiv_exact": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
            "arkiv_folded": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding", "arkiv_fold_aa", "arkiv_fold_oe"],
            },
            "arkiv_parts_index": {
                "type": "custom",
                "char_filter": ["arkiv_no_names"],
                "tokenizer": "standard",
                "filter": ["lowercase", "arkiv_parts"],
            },
        },
    }


def _text_field(*, term_vectors: bool) -> dict[str, Any]:
    """A text field and its views; with term vectors (offsets) for the fast-vector highlighter,
    which marks a hit on any view in one snippet."""
    views: dict[str, Any] = {
        "exact": {"type": "text", "analyzer": "arkiv_exact"},
        "folded": {"type": "text", "analyzer": "arkiv_folded"},
        "parts": {
            "type": "text",
            "analyzer": "arkiv_parts_index",
            "search_analyzer": "arkiv_exact",
        },
    }
    field: dict[str, Any] = {"type": "text", "analyzer": "arkiv_stemmed", "fields": views}
    if term_vectors:
        field["term_vector"] = "with_positions_offsets"
        # The highlighter reads a stored field directly instead of parsing each hit's whole
        # _source (a quarter of a search's time on the node; the snippets are the same, so an
        # index made without it needs no rebuild).
        field["store"] = True
        field["copy_to"] = ["suggest"]
        for view in views.values():
            view["term_vector"] = "with_positions_offsets"
    return field


def field_mapping(field: IndexField) -> dict[str, Any]:
    """The mapping of one field of the table, by how it is indexed."""
    if field.kind == "text":
        # A file name is matched by its words spelled without æøå; other text by every view.
        if field.name == "filename":
            return {"type": "text", "analyzer": "arkiv_folded"}
        return _text_field(term_vectors=False)
    if field.kind == "date":
        return {"type": "date", "format": "strict_date"}
    if field.kind == "number":
        return {"type": "long"}
    return {"type": "keyword"}


def mappings() -> dict[str, Any]:
    """The field mapping (strict: a document with an unknown field is refused)."""
    properties: dict[str, Any] = {
        INDEX_NAMES.get(f.name, f.name): field_mapping(f) for f in index_fields()
    }
    properties |= {
        "text": _text_field(term_vectors=True),
        "page": {"type": "integer"},
        "suggest": {
            "type": "text",
            "analyzer": "arkiv_exact",
            "fields": {"folded": {"type": "text", "analyzer": "arkiv_folded"}},
        },
    }
    return {
        "dynamic": "strict",
        "_meta": {"arkiv_mapping": MAPPING_VERSION},
        "properties": properties,
    }


def index_body(
    *, shards: int = 1, replicas: int = 0, parts: Iterable[str] | None = None
) -> dict[str, Any]:
    """The body of the create-index request. `parts` defaults to `compound_parts()`."""
    word_list = compound_parts() if parts is None else parts
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas},
            "analysis": analysis(word_list),
        },
        "mappings": mappings(),
    }


def highlight(fields: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The highlight part of a search: `<mark>` around hits, the text HTML-escaped (`encoder`
    html), snippets from every view of the text so that a folded or part hit is marked too."""
    sizes = fields or {"text": 160}
    views = ("", ".exact", ".folded", ".parts")
    return {
        "pre_tags": [HIGHLIGHT_PRE],
        "post_tags": [HIGHLIGHT_POST],
        "encoder": "html",
        "fields": {
            f"{name}": {
                "type": "fvh",
                "matched_fields": [name + view for view in views],
                "fragment_size": size,
                "number_of_fragments": 3,
            }
            for name, size in sizes.items()
        },
    }
