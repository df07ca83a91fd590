"""ArchiveConfig: where the archive lives and how it behaves, as one frozen object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = Path("arkiv-data")


@dataclass(frozen=True)
class ArchiveConfig:
    """Settings of one archive; build it once and pass it down."""

    home: Path
    gazetteer: Path | None = None

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
    def local_gazetteer(self) -> Path:
        """A gazetteer file the archive owner may add to extend the shipped one."""
        return self.home / "gazetteer.toml"


def resolve_home(home: str | Path | None) -> Path:
    """Pick the home folder: the argument, else $ARKIV_HOME, else ./arkiv-data."""
    if home:
        return Path(home).expanduser()
    env = os.environ.get("ARKIV_HOME")
    if env:
        return Path(env).expanduser()
    return DEFAULT_HOME
