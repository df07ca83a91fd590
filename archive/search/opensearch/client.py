"""The connection to an OpenSearch cluster: the client built from the settings, its errors
turned into ours, and bulk requests in bounded batches retried on 429/503."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from typing import Any, TypeVar

from opensearchpy import OpenSearch
from opensearchpy.exceptions import (
    ConnectionError as ClientConnectionError,
)
from opensearchpy.exceptions import (
    ConnectionTimeout,
    NotFoundError,
    TransportError,
)

from archive.config import SearchSettings
from archive.errors import ArchiveError, SearchUnavailableError

# A bulk request holds at most this many documents or bytes: large enough that a request's
# overhead is small, small enough that a node under load answers well within BULK_TIMEOUT.
BULK_DOCS = 200
BULK_BYTES = 4_000_000
# Seconds a bulk request may take. A node indexes a request's documents one after another on
# one thread (the analysis and the term vectors cost 20-250 ms a document on a loaded 2-core
# machine), and a request that times out is sent again while the node still works on the first
# copy: with the search timeout, a reindex spent most of its time indexing documents twice.
BULK_TIMEOUT = 600.0
# Seconds the creation of an index may take: the node builds the decompounder from 67,609
# words, which took over 30 s on a loaded machine; a create that timed out and was sent again
# then failed with "already exists".
CREATE_TIMEOUT = 300.0
RETRIES = 6  # of a bulk batch, or of the documents in it, the cluster refused (429/503)
BACKOFF = 0.5  # seconds before the first retry; doubled for each next one
RETRY_STATUSES = frozenset({429, 503})
TIMEOUT = 30.0  # seconds for a request

T = TypeVar("T")


def connect(settings: SearchSettings) -> OpenSearch:
    """A client for the cluster of the settings (no request is made yet)."""
    # The client logs each failed request with its traceback; we report the failure once,
    # as an ArchiveError, so a user never sees a traceback for a cluster that is down.
    logging.getLogger("opensearch").setLevel(logging.CRITICAL)
    auth = (settings.user, settings.password or "") if settings.user else None
    return OpenSearch(
        hosts=list(settings.urls),
        http_auth=auth,
        verify_certs=settings.verify_certs,
        ca_certs=settings.ca_certs,
        ssl_show_warn=False,
        timeout=TIMEOUT,
        # A node that does not answer is marked dead and the request goes to the next one.
        max_retries=len(settings.urls) + 1,
        retry_on_timeout=True,
        retry_on_status=(502, 503, 504),
    )


def where(settings: SearchSettings) -> str:
    return ", ".join(settings.urls) + f" (index {settings.index})"


@contextmanager
def cluster_errors(settings: SearchSettings) -> Iterator[None]:
    """Turn the client's errors into ours: a cluster that cannot be reached or refuses the
    work is SearchUnavailableError (HTTP 503), any other refusal an ArchiveError."""
    try:
        yield
    except (ClientConnectionError, ConnectionTimeout) as exc:
        raise SearchUnavailableError(
            f"the search cluster at {where(settings)} cannot be reached; "
            "start it or check search.urls in arkiv.toml (index work stays queued)"
        ) from exc
    except NotFoundError as exc:
        raise ArchiveError(
            f"the search index at {where(settings)} does not exist; "
            "run `arkiv reindex` to build it from the catalog"
        ) from exc
    except TransportError as exc:
        status = exc.status_code if isinstance(exc.status_code, int) else 0
        if status in RETRY_STATUSES or status in (502, 504):
            raise SearchUnavailableError(
                f"the search cluster at {where(settings)} is not available ({status}); "
                "try again later (index work stays queued)"
            ) from exc
        if status in (401, 403):
            raise ArchiveError(
                f"the search cluster at {where(settings)} refused our credentials ({status}); "
                "check ARKIV_OPENSEARCH_USER and ARKIV_OPENSEARCH_PASSWORD"
            ) from exc
        raise ArchiveError(
            f"the search cluster at {where(settings)} refused a request ({status}: {exc.error})"
        ) from exc


def with_retries(call: Callable[[], T], settings: SearchSettings) -> T:
    """Run a request, waiting and retrying while the cluster answers 429/503 or cannot be
    reached (a node restarting, a replica being promoted)."""
    delay = BACKOFF
    for attempt in range(RETRIES + 1):
        try:
            with cluster_errors(settings):
                return call()
        except SearchUnavailableError:
            if attempt == RETRIES:
                raise
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def loading(client: OpenSearch, index: str, settings: SearchSettings) -> Iterator[None]:
    """No periodic refresh of `index` while a bulk load fills it (each refresh writes a small
    segment that merges then rewrite); the default is restored afterwards, also when the load
    fails. Every writer refreshes explicitly when it ends, so what was sent becomes visible even
    if a killed process left the setting off."""
    body = {"index": {"refresh_interval": "-1"}}
    with_retries(partial(client.indices.put_settings, index=index, body=body), settings)
    try:
        yield
    finally:
        # One attempt: a cluster that went away is told by the load's own error.
        with suppress(ArchiveError), cluster_errors(settings):
            client.indices.put_settings(index=index, body={"index": {"refresh_interval": None}})


def batches(actions: Sequence[tuple[dict[str, Any], dict[str, Any] | None]]) -> Iterator[str]:
    """NDJSON bulk bodies of at most BULK_DOCS documents and about BULK_BYTES bytes."""
    lines: list[str] = []
    size = count = 0
    for meta, source in actions:
        chunk = json.dumps(meta) + "\n"
        if source is not None:
            chunk += json.dumps(source, ensure_ascii=False) + "\n"
        if lines and (count >= BULK_DOCS or size + len(chunk) > BULK_BYTES):
            yield "".join(lines)
            lines, size, count = [], 0, 0
        lines.append(chunk)
        size += len(chunk)
        count += 1
    if lines:
        yield "".join(lines)


def send_bulk(
    client: OpenSearch,
    settings: SearchSettings,
    actions: Sequence[tuple[dict[str, Any], dict[str, Any] | None]],
) -> None:
    """Send index/delete actions in bounded batches; the actions the cluster refused with
    429/503 are sent again after a pause, up to RETRIES times. Raises SearchUnavailableError
    when they still fail (the caller keeps its queue), ArchiveError for a refused document."""
    pending = list(actions)
    delay = BACKOFF
    for attempt in range(RETRIES + 1):
        retry: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
        start = 0
        for body in batches(pending):
            call = partial(client.bulk, body=body, request_timeout=BULK_TIMEOUT)
            response = with_retries(call, settings)
            items = response.get("items", [])
            part = pending[start : start + len(items)]
            start += len(items)
            for action, item in zip(part, items, strict=True):
                ((op, result),) = item.items()
                status = int(result.get("status", 200))
                if status < 300 or (op == "delete" and status == 404):
                    continue
                if status in RETRY_STATUSES:
                    retry.append(action)
                    continue
                error = result.get("error", {})
                reason = error.get("reason", error) if isinstance(error, dict) else error
                raise ArchiveError(
                    f"{result.get('_id')}: the search cluster refused the document "
                    f"({status}: {reason})"
                )
        if not retry:
            return
        if attempt == RETRIES:
            break
        pending = retry
        time.sleep(delay)
        delay *= 2
    raise SearchUnavailableError(
        f"the search cluster at {where(settings)} kept refusing {len(pending)} documents "
        "(too busy); run the command again later (index work stays queued)"
    )
