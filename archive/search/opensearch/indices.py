"""The archive's index behind an alias: `<name>` names `<name>-<stamp>`, so that a rebuild fills
a new index beside the one being searched and switches the alias to it in one request.

A rebuild killed halfway leaves its half-built index beside the old one, which keeps serving
behind the alias; the next rebuild deletes it. An index named `<name>` itself (made before the
alias) keeps serving under its own name until the first rebuild, whose switch deletes it and
gives its name to the alias in the same request.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from opensearchpy import OpenSearch


def generation_name(alias: str, now: datetime | None = None) -> str:
    """A new index's name: the alias and the UTC time to the microsecond (sorts by age)."""
    moment = now or datetime.now(UTC)
    return f"{alias}-{moment:%Y%m%d%H%M%S%f}"


def is_generation(alias: str, name: str) -> bool:
    """Whether `name` is one of the alias's indices (`<alias>-` and 20 digits)."""
    return re.fullmatch(re.escape(alias) + r"-\d{20}", name) is not None


def aliased(client: OpenSearch, alias: str) -> list[str]:
    """The indices the alias names now (none when there is no such alias)."""
    if not client.indices.exists_alias(name=alias):
        return []
    return sorted(client.indices.get_alias(name=alias))


def generations(client: OpenSearch, alias: str) -> list[str]:
    """Every index of the alias's name pattern, whether the alias names it or not."""
    found = client.indices.get(index=f"{alias}-*", expand_wildcards="all", ignore_unavailable=True)
    return sorted(name for name in found if is_generation(alias, name))


def is_concrete(client: OpenSearch, name: str) -> bool:
    """Whether `name` is an index itself, not an alias (an index made before the alias)."""
    return bool(client.indices.exists(index=name)) and not client.indices.exists_alias(name=name)


def delete_leftovers(client: OpenSearch, alias: str) -> list[str]:
    """Delete the indices of the alias's pattern that it does not name (what a rebuild killed
    halfway left behind); returns their names."""
    serving = set(aliased(client, alias))
    stale = [name for name in generations(client, alias) if name not in serving]
    for name in stale:
        client.indices.delete(index=name, ignore_unavailable=True)
    return stale


def switch(client: OpenSearch, alias: str, new: str) -> list[str]:
    """Point the alias at `new` alone in one request (an index named like the alias is deleted
    in that same request); returns the indices it named before, now unnamed."""
    before = aliased(client, alias)
    actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": alias}}]
    if before:
        actions.insert(0, {"remove": {"indices": before, "alias": alias}})
    elif is_concrete(client, alias):
        actions.append({"remove_index": {"index": alias}})
    client.indices.update_aliases(body={"actions": actions})
    return [name for name in before if name != new]
