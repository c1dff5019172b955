"""A fresh home's Prefect database, restored from the empty one the package ships.

The first time the temporary Prefect API starts in a home, Prefect creates its SQLite
database by running every one of its migrations, one after the other: about 7 of the
10 seconds that start takes on a fresh home. The package ships the outcome instead:
the schema of an empty database migrated to the head of the Prefect version in the
lock file, as SQL (``prefect_database.sql.gz``, built by
``tools/prefect_database_template.py``; its first line is its key, the Prefect version
and the migration head it was built at). Restoring it takes tens of milliseconds.

``seed_database`` restores it before the temporary API starts, only into a home that
has no database, and only when the installed Prefect is the version the template was
built for. Prefect still checks the migrations on start, finds the database at its
head, and has nothing to do. Anything else (another Prefect version, a database that
exists, a database Prefect does not keep in a local SQLite file) is left to Prefect,
which migrates as before. The database appears whole or not at all: it is restored
into a temporary file beside it and hard-linked into place, which never replaces a
database another run has put there meanwhile.
"""

from __future__ import annotations

import gzip
import os
import sqlite3
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).with_name("prefect_database.sql.gz")
KEY_PREFIX = "-- litcurate prefect database template:"
REBUILD_COMMAND = "python tools/prefect_database_template.py  (make prefect-db)"
# A database Prefect is using or recovering: never put a template beside these.
_COMPANIONS = ("", "-wal", "-journal")


@dataclass(frozen=True)
class TemplateKey:
    """What a template was built with: Prefect's version and its migration head."""

    prefect: str
    alembic_head: str

    def line(self) -> str:
        """The template's first line, which records this key."""
        return f"{KEY_PREFIX} prefect={self.prefect} alembic_head={self.alembic_head}"


def parse_key(line: str) -> TemplateKey | None:
    """Given a template's first line, return its key (None if it is not a key line)."""
    if not line.startswith(KEY_PREFIX):
        return None
    fields = dict(part.split("=", 1) for part in line[len(KEY_PREFIX):].split() if "=" in part)
    if not fields.get("prefect") or not fields.get("alembic_head"):
        return None
    return TemplateKey(prefect=fields["prefect"], alembic_head=fields["alembic_head"])


def read_key(template: Path = TEMPLATE) -> TemplateKey | None:
    """The key of the template at ``template``; None if it is missing or unreadable."""
    try:
        with gzip.open(template, "rt", encoding="utf-8") as handle:
            return parse_key(handle.readline().rstrip("\n"))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError):
        return None


def has_database(database: Path) -> bool:
    """Whether ``database``, or a journal of one, is already there."""
    return any(database.with_name(database.name + suffix).exists() for suffix in _COMPANIONS)


def seed_database(database: Path, installed_prefect: str, template: Path = TEMPLATE) -> bool:
    """Restore the template as ``database`` when there is none and the installed Prefect
    is the template's; return whether it did. Never replaces a database."""
    if has_database(database):
        return False
    key = read_key(template)
    if key is None or key.prefect != installed_prefect:
        return False
    database.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{database.name}.", suffix=".seed",
                                    dir=database.parent)
    os.close(handle)
    restored = Path(name)
    try:
        restore(template, restored)
        os.link(restored, database)  # fails if a database appeared meanwhile: it wins
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, sqlite3.Error):
        return False  # Prefect creates the database itself, as without a template
    finally:
        for suffix in _COMPANIONS:
            restored.with_name(restored.name + suffix).unlink(missing_ok=True)
    return True


def restore(template: Path, target: Path) -> None:
    """Run the template's SQL into the (empty) SQLite file ``target``, in one transaction."""
    with gzip.open(template, "rt", encoding="utf-8") as handle:
        script = handle.read()
    connection = sqlite3.connect(target)
    try:
        connection.executescript(script)
    finally:
        connection.close()


def configured_database() -> Path | None:
    """The SQLite file Prefect's settings point its API at; None for any other database
    (a server, an in-memory one)."""
    from prefect.settings import get_current_settings
    from sqlalchemy.engine import make_url

    secret = get_current_settings().server.database.connection_url
    if secret is None:
        return None
    url = make_url(secret.get_secret_value())
    name = url.database or ""
    if url.get_backend_name() != "sqlite" or not name or ":memory:" in name or url.query:
        return None
    return Path(name).expanduser()


def seed_configured_database() -> bool:
    """Seed the database the temporary API is about to use, if it has none."""
    import prefect

    database = configured_database()
    return database is not None and seed_database(database, prefect.__version__)


def installed_key() -> TemplateKey:
    """The key a template built now would have: the installed Prefect's version and the
    head of its SQLite migrations (reads the migration scripts: a second or two)."""
    import prefect
    import prefect.server.database
    from alembic.script import ScriptDirectory
    from prefect.server.database.alembic_commands import alembic_config

    config = alembic_config()
    versions = Path(prefect.server.database.__file__).parent / "_migrations" / "versions"
    config.set_main_option("version_locations", str(versions / "sqlite"))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError("Prefect's SQLite migrations have no single head")
    return TemplateKey(prefect=prefect.__version__, alembic_head=head)
