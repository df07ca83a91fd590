"""ArchiveConfig: where the archive lives and how it behaves, as one frozen object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = Path("arkiv-data")
DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ArchiveConfig:
    """Settings of one archive; build it once and pass it down."""

    home: Path
    gazetteer: Path | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES  # one web upload request, all its files
    # Seconds one search may run before it is abandoned (503 on the web; None: no limit).
    search_time_limit: float | None = 5.0

    def __post_init__(self) -> None:
        # Absolute once, here: a relative home would be read against whatever folder a later
        # call resolves it from (Flask's send_file uses the package folder).
        object.__setattr__(self, "home", Path(self.home).expanduser().absolute())

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
