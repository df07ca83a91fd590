"""The JSON API tests of test_api.py, run again on the same hand-made archive searched through
OpenSearch (its arkiv.toml picks the backend): the same hits and JSON shapes from /api/search."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import ArchiveConfig

from .conftest import search_settings
from .test_api import (  # noqa: F401  (collected here too, with this module's `built`)
    openapi,
    test_a_page_past_the_end_is_a_json_404,
    test_a_search_hit_in_full,
    test_bad_parameters_are_json_400s,
    test_health,
    test_hostile_values_are_plain_json_strings,
    test_json_is_utf8_not_ascii_escapes,
    test_openapi_schemas_match_real_responses,
    test_search_returns_the_cli_json_shape_plus_facets,
    test_search_suggests_a_spelling,
    test_search_takes_the_page_parameters,
)
from .webui_support import SPECS, add_documents


@pytest.fixture(scope="module")
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ArchiveConfig, dict[str, str]]:
    """test_api's archive, its home's arkiv.toml pointing at the test node."""
    settings = search_settings(request, "opensearch")
    assert settings is not None
    root = tmp_path_factory.mktemp("webui-opensearch")
    home = Path(root / "home")
    home.mkdir()
    urls = ", ".join(f'"{u}"' for u in settings.urls)
    (home / "arkiv.toml").write_text(
        f'[search]\nbackend = "opensearch"\nurls = [{urls}]\nindex = "{settings.index}"\n',
        "utf-8",
    )
    config = ArchiveConfig(home=home)
    return config, add_documents(config, SPECS, root / "src")
