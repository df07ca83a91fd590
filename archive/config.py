"""ArchiveConfig: where the archive lives and how it behaves, as one frozen object."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import ConfigError

DEFAULT_HOME = Path("arkiv-data")
DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
SETTINGS_FILE = "arkiv.toml"
BACKENDS = ("whoosh", "opensearch")
DEFAULT_INDEX = "regionarkiv"
# Secrets and TLS files come from the environment only: the home (and its catalog) may be
# copied or shared, and a password must not travel with it.
ENV_USER = "ARKIV_OPENSEARCH_USER"
ENV_PASSWORD = "ARKIV_OPENSEARCH_PASSWORD"
ENV_CA = "ARKIV_OPENSEARCH_CA"
ENV_VERIFY = "ARKIV_OPENSEARCH_VERIFY"  # "0" turns certificate checks off (a test cluster)


@dataclass(frozen=True)
class SearchSettings:
    """Which search backend an archive uses and, for OpenSearch, where its cluster is."""

    backend: Literal["whoosh", "opensearch"] = "whoosh"
    urls: tuple[str, ...] = ()
    index: str = DEFAULT_INDEX
    shards: int = 1
    replicas: int = 0
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_certs: str | None = None
    verify_certs: bool = True


def read_settings(home: Path, environ: dict[str, str] | None = None) -> SearchSettings:
    """The `[search]` table of `<home>/arkiv.toml` with the credentials from the environment;
    the Whoosh default when there is no file. A bad file or key raises ConfigError naming it."""
    env = dict(os.environ) if environ is None else environ
    path = home / SETTINGS_FILE
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return SearchSettings()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    unknown = set(data) - {"search"}
    if unknown:
        raise ConfigError(f"{path}: unknown table(s) {', '.join(sorted(unknown))} (known: search)")
    table = data.get("search", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: search must be a table ([search])")
    return _search_table(path, table, env)


def _search_table(path: Path, table: dict[str, Any], env: dict[str, str]) -> SearchSettings:
    known = {"backend", "urls", "index", "shards", "replicas"}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) search.{', search.'.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(known))}; user, password and certificates come from "
            f"{ENV_USER}, {ENV_PASSWORD} and {ENV_CA})"
        )
    backend = table.get("backend", "whoosh")
    if backend not in BACKENDS:
        raise ConfigError(
            f"{path}: search.backend is {backend!r}; use one of {', '.join(BACKENDS)}"
        )
    urls = table.get("urls", [])
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not all(
        isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls
    ):
        raise ConfigError(f"{path}: search.urls must be a list of http(s):// URLs")
    if backend == "opensearch" and not urls:
        raise ConfigError(f"{path}: search.urls is needed for the opensearch backend")
    index = table.get("index", DEFAULT_INDEX)
    if not isinstance(index, str) or not index or index != index.lower() or " " in index:
        raise ConfigError(f"{path}: search.index must be a lower-case name without spaces")
    counts = {}
    for name, low in (("shards", 1), ("replicas", 0)):
        value = table.get(name, low)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ConfigError(f"{path}: search.{name} must be a whole number >= {low}")
        counts[name] = value
    return SearchSettings(
        backend=backend,
        urls=tuple(urls),
        index=index,
        shards=counts["shards"],
        replicas=counts["replicas"],
        user=env.get(ENV_USER) or None,
        password=env.get(ENV_PASSWORD) or None,
        ca_certs=env.get(ENV_CA) or None,
        verify_certs=env.get(ENV_VERIFY, "1") != "0",
    )


@dataclass(frozen=True)
class PasswordCost:
    """argon2id parameters for new password hashes (each stored hash keeps its own); the
    defaults are argon2-cffi's, and a test suite sets them low to sign in many times."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4


@dataclass(frozen=True)
class ArchiveConfig:
    """Settings of one archive; build it once and pass it down."""

    home: Path
    gazetteer: Path | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES  # one web upload request, all its files
    # Seconds one search may run before it is abandoned (503 on the web; None: no limit).
    search_time_limit: float | None = 5.0
    search: SearchSettings | None = None  # None: read from <home>/arkiv.toml
    password_cost: PasswordCost = PasswordCost()

    def __post_init__(self) -> None:
        # Absolute once, here: a relative home would be read against whatever folder a later
        # call resolves it from (Flask's send_file uses the package folder).
        object.__setattr__(self, "home", Path(self.home).expanduser().absolute())
        if self.search is None:
            object.__setattr__(self, "search", read_settings(self.home))

    @property
    def search_settings(self) -> SearchSettings:
        """The search settings (read from arkiv.toml when none were given)."""
        assert self.search is not None  # set in __post_init__
        return self.search

    @property
    def catalog_path(self) -> Path:
        return self.home / "catalog.sqlite"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def originals_dir(self) -> Path:
        return self.home / "originals"

    @property
    def logs_dir(self) -> Path:
        """Tracebacks of unexpected errors (a bug of ours on an odd file) go here."""
        return self.home / "logs"

    @property
    def lock_path(self) -> Path:
        return self.home / "write.lock"

    @property
    def uploads_dir(self) -> Path:
        """Web uploads are written here and moved into the store only once complete."""
        return self.home / "tmp" / "uploads"

    @property
    def local_gazetteer(self) -> Path:
        """A gazetteer file the archive owner may add to extend the shipped one."""
        return self.home / "gazetteer.toml"


def resolve_home(home: str | Path | None) -> Path:
    """Pick the home folder, absolute: the argument, else $ARKIV_HOME, else ./arkiv-data."""
    chosen = home or os.environ.get("ARKIV_HOME") or DEFAULT_HOME
    return Path(chosen).expanduser().absolute()
