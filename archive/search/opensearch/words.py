"""The index's words for did-you-mean (archive.language.spelling) read from the engine: counts
for presence and frequency, the term suggester for near spellings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from archive.language.folding import fold
from archive.language.vocabulary import Name

from .compile import access_filter

if TYPE_CHECKING:
    from .backend import OpenSearchBackend


class IndexWords:
    """The index's words for did-you-mean (archive.language.spelling): presence and document
    frequency from the exact view, near spellings from the engine's term suggester."""

    def __init__(self, backend: OpenSearchBackend) -> None:
        self.backend = backend
        self._counts: dict[str, int] = {}

    def has(self, field: str, term: str) -> bool:
        return self.frequency(field, term) > 0

    def frequency(self, field: str, term: str) -> int:
        if term not in self._counts:
            # Public documents only: a suggestion must not reveal a restricted text's words.
            query = {
                "bool": {
                    "filter": [{"term": {"text.exact": term}}],
                    "must_not": access_filter(include_restricted=False),
                }
            }
            self._counts[term] = int(self.backend.call("count", body={"query": query})["count"])
        return self._counts[term]

    def with_prefix(self, field: str, prefix: str) -> Iterator[str]:
        return iter(())

    def near(self, field: str, prefix: str, word: str, maxdist: int) -> Iterator[str]:
        """Index words within `maxdist` edits of `word` spelled without æøå (the suggester
        over the folded view), as the index spells them (the suggester over the exact one)."""
        edits = max(1, min(2, maxdist))
        folded = {o for o in self.options("suggest.folded", fold(word), edits, len(prefix))}
        for option in sorted(folded):
            for spelled in self.options("suggest", option, 2, 0, always=True):
                if (
                    fold(spelled) == option
                    and spelled.startswith(prefix)
                    and self.has(field, spelled)
                ):
                    yield spelled
            if option.startswith(prefix) and self.has(field, option):
                yield option

    def options(
        self, field: str, text: str, edits: int, prefix: int, *, always: bool = False
    ) -> list[str]:
        body = {
            "suggest": {
                "near": {
                    "text": text,
                    "term": {
                        "field": field,
                        "suggest_mode": "always",
                        "max_edits": edits,
                        "prefix_length": prefix,
                        "min_word_length": 3,
                        "size": 20,
                        "string_distance": "damerau_levenshtein",
                    },
                }
            },
            "size": 0,
        }
        del always
        found = self.backend.call("search", body=body)
        return [
            option["text"]
            for entry in found.get("suggest", {}).get("near", [])
            for option in entry.get("options", [])
        ]

    def names(self) -> Mapping[str, Sequence[Name]]:
        return self.backend.names()
