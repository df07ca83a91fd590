"""The import rules of the layout, read from the source with `ast`.

The packages checked are the product: archive, indexer, webui and evaluation. `benchmarks/` is
left out on purpose (its plain-Whoosh baseline imports Whoosh to measure it), and so is `tests/`
(the engine's tests compare our readers with stock Whoosh).
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("archive", "indexer", "webui", "evaluation")
ENGINE = ROOT / "archive" / "search" / "whoosh"
# The Norwegian language work still reaches for Whoosh's public helpers (stemmer, stop lists,
# Levenshtein distance, the Analyzer and TEXT base classes): moving it out was limited to its
# import lines while its logic is being changed on another branch. The Whoosh modules named
# here may only shrink (analysis.py's split spread them over more files, adding none).
LANGUAGE_WHOOSH = {
    "archive/language/analysis.py": {
        "whoosh.analysis",
        "whoosh.fields",
        "whoosh.formats",
        "whoosh.system",
    },
    "archive/language/compounds.py": {"whoosh.lang.stopwords"},
    "archive/language/matching.py": {"whoosh.analysis"},
    "archive/language/spelling.py": {"whoosh.support.levenshtein"},
    "archive/language/stems.py": {"whoosh.lang"},
    "archive/language/vocabulary.py": {"whoosh.support.levenshtein"},
    "archive/language/words.py": {"whoosh.lang.stopwords"},
}


@cache
def imported_modules(path: Path) -> frozenset[str]:
    """Absolute module names a file imports (each file is parsed once per session)."""
    return frozenset(modules_in(path.read_text("utf-8"), path))


def modules_in(source: str, path: Path) -> set[str]:
    """Absolute module names a source imports, relative ones resolved as if it stood at `path`."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                found.add(".".join([*base, *([node.module] if node.module else [])]))
            else:
                found.add(node.module or "")
    return found


@cache
def sources(package: str) -> tuple[Path, ...]:
    return tuple(sorted((ROOT / package).rglob("*.py")))


def top(name: str) -> str:
    return name.split(".", 1)[0]


def offenders(packages: tuple[str, ...], forbidden: set[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for package in packages
        for path in sources(package)
        for name in sorted(imported_modules(path))
        if top(name) in forbidden
    ]


def test_the_core_imports_neither_indexer_nor_webui() -> None:
    assert offenders(("archive",), {"indexer", "webui"}) == []


def test_the_web_ui_does_not_import_the_indexer() -> None:
    assert offenders(("webui",), {"indexer"}) == []


def test_only_the_engine_package_imports_whoosh() -> None:
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sources(package):
            if path.is_relative_to(ENGINE):
                continue
            names = {n for n in imported_modules(path) if top(n) == "whoosh"}
            if names:
                found[str(path.relative_to(ROOT))] = names
    assert found == LANGUAGE_WHOOSH


def test_only_the_opensearch_package_imports_its_client() -> None:
    engine = ROOT / "archive" / "search" / "opensearch"
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for package in PACKAGES
        for path in sources(package)
        if not path.is_relative_to(engine)
        for name in sorted(imported_modules(path))
        if top(name) == "opensearchpy"
    ]
    assert found == []


def runtime_imports(source: str, path: Path) -> set[str]:
    """What `modules_in` finds, less the imports under `if TYPE_CHECKING:` (annotations only)."""
    tree = ast.parse(source, str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            node.body = [ast.Pass()]
    return modules_in(ast.unparse(tree), path)


def unit_of(path: Path) -> str:
    """The part of indexer a file belongs to: its module, or its subpackage."""
    return path.relative_to(ROOT / "indexer").with_suffix("").parts[0]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle of a graph once, as the path that closes it (from its smallest name)."""
    found: set[tuple[str, ...]] = set()

    def walk(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == trail[0]:
                found.add(tuple(trail))
            elif nxt not in trail and nxt > trail[0]:
                walk(nxt, [*trail, nxt])

    for start in sorted(graph):
        walk(start, [start])
    return [[*trail, trail[0]] for trail in sorted(found)]


def test_the_parts_of_the_indexer_import_each_other_without_a_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for path in sources("indexer"):
        unit = unit_of(path)
        for name in runtime_imports(path.read_text("utf-8"), path):
            parts = name.split(".")
            if parts[0] == "indexer" and len(parts) > 1 and parts[1] != unit:
                graph.setdefault(unit, set()).add(parts[1])
    assert graph["metadata"] >= {"dates", "regions", "meetings", "classify"}  # the graph is read
    assert cycles(graph) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}}, []),
        ({"regions": {"ingest"}, "ingest": {"metadata"}, "metadata": {"regions"}},
         [["ingest", "metadata", "regions", "ingest"]]),
        ({"a": {"b"}, "b": {"a", "c"}, "c": {"b"}}, [["a", "b", "a"], ["b", "c", "b"]]),
    ],
)  # fmt: skip
def test_import_cycles_are_found(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(graph) == expected


def test_imports_for_annotations_only_are_no_cycle() -> None:
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .gazetteer import Region\n"
    )
    path = ROOT / "indexer" / "probe.py"
    assert modules_in(source, path) == {"typing", "indexer.gazetteer"}
    assert runtime_imports(source, path) == {"typing"}


def test_private_whoosh_modules_stay_in_internals() -> None:
    """Whoosh's codec and file modules are named in `internals` alone."""
    private = ("whoosh.codec", "whoosh.filedb")
    outside = [
        f"{path.relative_to(ROOT)} imports {name}"
        for package in PACKAGES
        for path in sources(package)
        if not path.is_relative_to(ENGINE / "internals")
        for name in sorted(imported_modules(path))
        if name.startswith(private)
    ]
    assert outside == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from archive.errors import ArchiveError", {"archive.errors"}),
        ("from . import internals", {"archive.search.whoosh"}),
        ("from .internals.scoring import bm25", {"archive.search.whoosh.internals.scoring"}),
        ("from ..query import Node", {"archive.search.query"}),
        ("import whoosh.query as q, numpy", {"whoosh.query", "numpy"}),
    ],
)
def test_imports_are_resolved_against_the_package(source: str, expected: set[str]) -> None:
    assert modules_in(source, ENGINE / "probe.py") == expected


# The parts of an Archive behind its front door: webui and indexer call Archive's verbs.
ARCHIVE_PARTS = {"catalog", "store", "index"}
PRIVATE_MODULES = ("archive.catalog", "archive.store")


def reaches_behind(source: str, path: Path) -> list[str]:
    """`x.catalog.y`, `x.store.y` or `x.index.y` in a source: a part of an Archive used
    directly (by whatever name the archive has there), with its line."""
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} uses .{node.value.attr}.{node.attr}"
        for node in ast.walk(ast.parse(source, str(path)))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr in ARCHIVE_PARTS
    ]


def test_web_ui_and_indexer_use_only_the_front_door() -> None:
    behind = [
        found
        for package in ("webui", "indexer")
        for path in sources(package)
        for found in reaches_behind(path.read_text("utf-8"), path)
    ]
    imports = [
        f"{path.relative_to(ROOT)} imports {name}"
        for package in ("webui", "indexer")
        for path in sources(package)
        for name in sorted(imported_modules(path))
        if name.startswith(PRIVATE_MODULES)
    ]
    assert behind + imports == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("archive.catalog.get(doc_id)", ["webui/probe.py:1 uses .catalog.get"]),
        ("self.archive.store.path_for(sha)", ["webui/probe.py:1 uses .store.path_for"]),
        ("arc.index.doc_count()", ["webui/probe.py:1 uses .index.doc_count"]),
        ("archive.get(doc_id); words.index('x'); archive.original_path(doc)", []),
    ],
)
def test_reaching_behind_the_front_door_is_seen(source: str, expected: list[str]) -> None:
    assert reaches_behind(source, ROOT / "webui" / "probe.py") == expected


def layout_blocks(tree: str) -> dict[str, str]:
    """The lines of the README's layout tree under each folder entry (`archive/search/`),
    nested entries and continuation lines included."""
    found: dict[str, str] = {}
    stack: list[tuple[int, str]] = []  # (indent, folder path) of the open entries
    for line in tree.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        first = line.split()[0]
        if first.endswith(("/", ".py")):  # an entry: it closes the entries not above it
            while stack and stack[-1][0] >= indent:
                stack.pop()
        if first.endswith("/"):
            stack.append((indent, (stack[-1][1] if stack else "") + first))
        for _, folder in stack:
            found[folder] = found.get(folder, "") + line + "\n"
    return found


def readme_tree() -> str:
    """The folder tree of the README's "Code layout" section."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("\n## Code layout") :]
    section = section[: section.find("\n## ", 1) % (len(section) + 1)]
    tree = section[section.index("```\narchive/") + 4 :]
    return tree[: tree.index("```")]


def test_the_readme_layout_names_every_module() -> None:
    blocks = layout_blocks(readme_tree())
    unnamed = [
        str(path.relative_to(ROOT))
        for package in ("archive", "indexer", "webui")
        for path in sources(package)
        if path.name != "__init__.py"
        and not re.search(
            rf"(?<![\w.]){re.escape(path.name)}\b",
            blocks.get(path.parent.relative_to(ROOT).as_posix() + "/", ""),
        )
    ]
    assert unnamed == []


def test_layout_blocks_follow_the_indentation() -> None:
    tree = (
        "archive/   the core\n"
        "  home/        the front door\n"
        "    front_door.py  Archive\n"
        "  store.py     originals\n"
        "  catalog/     the catalog: documents.py,\n"
        "               migrations.py\n"
        "indexer/   files\n"
    )
    assert layout_blocks(tree) == {
        "archive/": tree.split("indexer/")[0],
        "archive/home/": "  home/        the front door\n    front_door.py  Archive\n",
        "archive/catalog/": (
            "  catalog/     the catalog: documents.py,\n               migrations.py\n"
        ),
        "indexer/": "indexer/   files\n",
    }
