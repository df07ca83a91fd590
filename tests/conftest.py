"""Shared fixtures: a config in a temporary home, an open archive, PDF writing, the CLI runner."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from fpdf import FPDF

from archive import Archive, ArchiveConfig, open_archive
from archive.config import SearchSettings
from webui import app_archive, create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser

from .opensearch_support import opensearch_node  # noqa: F401  (session fixture)
from .parallel_support import OWN_CLUSTER_MODULES, CpuMeter, ModuleGroupScheduling, UnitClock

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
SHARED_CORPUS = Path(os.environ.get("ARKIV_SHARED", REPO.parent / "shared")) / "corpus"

MakePdf = Callable[..., Path]


def write_pdf(
    path: Path,
    pages: Sequence[str],
    *,
    user_password: str | None = None,
) -> Path:
    """Write a PDF with a real text layer, one string per page (core font: Latin-1 text)."""
    pdf = FPDF()
    pdf.set_creation_date(datetime(2020, 1, 1, tzinfo=UTC))  # byte-identical output
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    if user_password:
        pdf.set_encryption(owner_password="eier-" + user_password, user_password=user_password)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


# The search backends the backend-parametrized tests run on; OpenSearch cases start one real
# node per session (tests/opensearch_support.py) and skip with the reason without Java/Maven.
BACKENDS = ("whoosh", "opensearch")
_index_names = iter(range(1, 10**6))


def search_settings(request: pytest.FixtureRequest, backend: str) -> SearchSettings | None:
    """Settings for a fresh index on `backend` (None: the home's default, Whoosh), deleted
    when the test (or the module, for a module's fixture) is done."""
    if backend == "whoosh":
        return None
    pytest.importorskip("opensearchpy", reason="pip install -e '.[opensearch]'")
    node = request.getfixturevalue("opensearch_node")
    name = f"arkiv-test-{os.getpid()}-{next(_index_names)}"
    request.addfinalizer(lambda: delete_indexes(node.url, name))
    return SearchSettings(backend="opensearch", urls=(node.url,), index=name)


def delete_indexes(url: str, name: str) -> None:
    """Delete an index and its generations (`name-<time>`, archive/search/opensearch). The
    settings of every index (about 1 MB with the compound parts' word list) stay in the
    cluster state until it is deleted: a hundred tests' indexes made each new one cost the
    node twice the CPU."""
    import opensearchpy

    client = opensearchpy.OpenSearch([url], timeout=120)
    try:
        client.indices.delete(index=f"{name}-*")  # the alias `name` goes with its generation
        client.indices.delete(index=name, ignore_unavailable=True)  # a concrete `name`
    finally:
        client.close()


@pytest.fixture(scope="module", params=BACKENDS)
def module_backend(request: pytest.FixtureRequest) -> str:
    """The search backend of a module-scoped archive (each module runs once per backend)."""
    return str(request.param)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The search backend a test runs on (each such test runs once per backend)."""
    return str(request.param)


@pytest.fixture
def make_pdf() -> MakePdf:
    return write_pdf


@pytest.fixture
def config(tmp_path: Path) -> ArchiveConfig:
    return ArchiveConfig(home=tmp_path / "home")


@pytest.fixture
def archive(config: ArchiveConfig) -> Iterator[Archive]:
    with open_archive(config) as opened:
        yield opened


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, launched once per test process on first use (the browser tests
    open a fresh context per test)."""
    from .browser_support import launched

    with launched() as chromium:
        yield chromium


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ArchiveConfig, dict[str, str]]:
    """A small hand-made archive for the web UI and API tests (one per test module)."""
    from .webui_support import build_archive

    return build_archive(tmp_path_factory.mktemp("webui"))


@pytest.fixture(scope="module")
def app(built: tuple[ArchiveConfig, dict[str, str]]) -> Iterator[Flask]:
    flask_app = create_app(built[0], {"TESTING": True})
    yield flask_app
    app_archive(flask_app).close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def ids(built: tuple[ArchiveConfig, dict[str, str]]) -> dict[str, str]:
    """The test archive's document ids by short name."""
    return built[1]


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not SHARED_CORPUS.is_dir(), reason=f"the shared corpus is not at {SHARED_CORPUS}"
    )


# Tests outside `make test-fast` (besides those marked slow or browser where they are written):
# OCR, the shared and pdfminer corpora, the benchmarks' smoke run, the search-quality archive,
# the kill -9 trials and concurrent writers of real `arkiv` processes, and (below) every test
# that uses OpenSearch (a JVM to start).
SLOW_MODULES = {
    "test_ocr",
    "test_ocr_ingest",
    "test_benchmarks",
    "test_search_quality",
    "test_faults",
    "test_faults_index",
    # real `arkiv` processes (serve, watch, the upload's reader, index of undecodable names),
    # a crawl of every route of two archives: seconds each
    "test_upload",
    "test_watch",
    "test_faults_names",
    "test_access_attack",
}
SLOW_TESTS = {
    "test_real_pdfs_read_as_pdfminer_reads_them",
    "test_worker_analysis_indexes_as_reindex_does",
    # thousands of generated sentences in every office encoding: seconds, for a property that
    # only a change to the decoding can break
    "test_norwegian_text_decodes_exactly_in_every_office_encoding",
    "test_ingest_tells_of_each_page_ocr_reads",  # OCR
    "test_corpus_pdfs_read_alike",  # every PDF of the shared corpora, read twice
    "test_random_requests_never_give_a_5xx",  # 500 fuzzed requests
}


# Tests outside test_evaluation.py that read the real corpus's pages (evaluation/pages.py):
# in the evaluation's worker they read the pages it has read.
REAL_CORPUS_TESTS = {"test_manifest_dates_are_found_in_the_real_documents"}


def uses_opensearch(item: pytest.Item, module: str) -> bool:
    """Whether a test runs OpenSearch: the session's node, or nodes of its own."""
    params = getattr(item, "callspec", None)
    backends = {params.params.get(k) for k in ("backend", "module_backend")} if params else set()
    fixtures = set(getattr(item, "fixturenames", ()))
    return (
        module.startswith("test_opensearch")
        or "opensearch" in backends
        or bool(fixtures & {"opensearch_node", "opensearch_settings"})
    )


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests listed above slow, so that `-m "not slow"` leaves them out; put every
    test that uses the session's OpenSearch node in one xdist group, so that one worker starts
    the node, and the readers of the real corpus in another."""
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        name = item.name.split("[", 1)[0]
        on_opensearch = uses_opensearch(item, module)
        if module in SLOW_MODULES or name in SLOW_TESTS or on_opensearch:
            item.add_marker(pytest.mark.slow)
        if on_opensearch and module not in OWN_CLUSTER_MODULES:
            item.add_marker(pytest.mark.xdist_group("opensearch"))
        elif module == "test_evaluation" or name in REAL_CORPUS_TESTS:
            item.add_marker(pytest.mark.xdist_group("real-corpus"))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`--dist loadgroup` (make test): whole modules and groups, longest first (see
    tests/parallel_support.py)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    return ModuleGroupScheduling(config, log)


_unit_clock = UnitClock()
_cpu_meter = CpuMeter()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With ARKIV_UNIT_CPU=1: put the CPU the test's process tree spent on its report."""
    outcome = yield
    _cpu_meter.mark(outcome.get_result())


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up each unit's seconds (in the xdist controller, which hears every report)."""
    _unit_clock.add(report.nodeid, report.duration, report.user_properties)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """With ARKIV_UNIT_CPU=1: the costliest units by CPU."""
    for line in _unit_clock.summary():
        terminalreporter.write_line(line)


def _is_whole_parallel_run(config: pytest.Config) -> bool:
    return (
        not hasattr(config, "workerinput")
        and config.getvalue("dist") == "loadgroup"
        and config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.getvalue("keyword")
        and not config.getvalue("markexpr")
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Keep the units' seconds of a whole parallel run for the next one's order. In CI
    (ARKIV_REQUIRE_SYSTEM_PACKAGES=1) a skipped test is a failure: all must run."""
    if _is_whole_parallel_run(session.config) and exitstatus == 0:
        _unit_clock.save(session.config)
    if not os.environ.get("ARKIV_REQUIRE_SYSTEM_PACKAGES"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = reporter.stats.get("skipped", [])
    if skipped and exitstatus == 0:
        reasons = sorted({str(r.longrepr[-1]) for r in skipped if isinstance(r.longrepr, tuple)})
        reporter.write_line(f"{len(skipped)} tests skipped where all must run: {reasons}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
