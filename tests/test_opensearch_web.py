"""The JSON API tests of test_api.py and the search tests of test_webui.py, run again on the same
hand-made archive searched through OpenSearch (its arkiv.toml picks the backend): the same hits,
pages, facets, snippets and JSON shapes."""

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
from .test_webui import (  # noqa: F401  (collected here too, with this module's `built`)
    test_a_hit_shows_title_type_date_regions_file_snippet_and_best_page,
    test_atom_feed_of_a_search_is_newest_first,
    test_document_page_highlights_the_words_of_the_search_it_came_from,
    test_document_page_marks_what_the_search_matched,
    test_filters_narrow_the_hits,
    test_front_page_lists_every_document_newest_first_with_facets,
    test_many_threads_search_and_read_at_once,
    test_one_click_adds_a_facet_filter_and_one_removes_it,
    test_pages_of_twenty_with_links_between,
    test_plain_words_find_documents_with_highlighted_snippets,
    test_similar_documents_are_listed,
    test_sort_orders,
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
