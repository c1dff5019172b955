"""Build the empty Prefect database the package ships (after Prefect changes in uv.lock).

    .venv/bin/python tools/prefect_database_template.py [--out PATH]

Runs Prefect's own migrations into a scratch home (in a child process, so no setting
of this one leaks in), dumps the resulting empty database as SQL, checks that the
dump restores to the same schema, and writes it, gzipped, to
``litcurate/pipeline/execution/prefect_database.sql.gz`` with its key (the Prefect
version and migration head) as its first line.

Deterministic: Prefect's migrations rebuild tables in an order that varies from run
to run (constraints and indexes come out shuffled), so the dump lists tables and
indexes by name and each table's constraints sorted; gzip records no time or name.
A template already there with the same key and the same schema is left as it is, so
rebuilding without a Prefect change changes no file.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litcurate.pipeline.execution.prefect_database import (  # noqa: E402
    TEMPLATE,
    TemplateKey,
    read_key,
    restore,
)


def migrate(home: Path) -> None:
    """In this (child) process: create Prefect's database in ``home`` by its migrations."""
    import asyncio

    os.environ["PREFECT_HOME"] = str(home)
    from prefect.server.database import provide_database_interface

    asyncio.run(provide_database_interface().create_db())


def migrated_database(scratch: Path) -> Path:
    """Prefect's freshly migrated database, made by a child process in ``scratch``."""
    home = scratch / "home"
    home.mkdir()
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), DO_NOT_TRACK="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, __file__, "--migrate", str(home)], env=env, cwd=scratch,
                   check=True)
    return home / "prefect.db"


def canonical_table(sql: str) -> str:
    """Given a CREATE TABLE statement, return it with its named constraints (keys,
    foreign keys, unique, checks) sorted by name: their order means nothing, and the
    tables Prefect's migrations rebuild come out with them in a random order."""
    lines = sql.split("\n")
    at = [i for i, line in enumerate(lines) if line.lstrip().startswith("CONSTRAINT ")]
    if not at or at != list(range(at[0], at[-1] + 1)):
        return sql  # none, or not one block of them: left as it is
    last_has_comma = lines[at[-1]].rstrip().endswith(",")
    bodies = sorted(lines[i].rstrip().rstrip(",") for i in at)
    ends = [", "] * (len(bodies) - 1) + [", " if last_has_comma else ""]
    lines[at[0]:at[-1] + 1] = [body + end for body, end in zip(bodies, ends, strict=True)]
    return "\n".join(lines)


def table_rows(connection: sqlite3.Connection, table: str) -> list[str]:
    """Given a table, return INSERT statements for its rows, in a fixed order."""
    columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
    values = " || ',' || ".join(f'quote("{column}")' for column in columns)
    order = ", ".join(f'"{column}"' for column in columns)
    query = f"SELECT 'INSERT INTO \"{table}\" VALUES(' || {values} || ');' FROM \"{table}\""
    return [row[0] for row in connection.execute(f"{query} ORDER BY {order}")]


def dump(database: Path) -> list[str]:
    """Given a SQLite database, return the statements that rebuild it, canonically ordered."""
    connection = sqlite3.connect(database)
    try:
        statements = ["BEGIN TRANSACTION;"]
        tables = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
        for name, sql in tables:
            statements.append(canonical_table(sql) + ";")
            statements.extend(table_rows(connection, name))
        statements.extend(sql + ";" for (sql,) in connection.execute(
            "SELECT sql FROM sqlite_master WHERE type IN ('index', 'view', 'trigger') "
            "AND sql IS NOT NULL ORDER BY type = 'trigger', type, name"))
        statements.append("COMMIT;")
        return statements
    finally:
        connection.close()


def describe(database: Path) -> dict[str, object]:
    """What a database is, whatever the order its objects were made in: each object's
    definition (a table's lines as a sorted list), and each table's rows."""
    connection = sqlite3.connect(database)
    try:
        objects = {}
        for kind, name, sql in connection.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"):
            lines = [line.rstrip().rstrip(",") for line in (sql or "").split("\n")]
            objects[f"{kind} {name}"] = sorted(lines) if kind == "table" else lines
        tables = [key.split(" ", 1)[1] for key in objects if key.startswith("table ")]
        rows = {table: sorted(table_rows(connection, table)) for table in tables}
        return {"objects": objects, "rows": rows}
    finally:
        connection.close()


def template_text(key: TemplateKey, statements: list[str]) -> str:
    return "\n".join([key.line(), *statements]) + "\n"


def built_key(database: Path, key: TemplateKey) -> None:
    """Fail unless the migrated database is at the head the key names."""
    connection = sqlite3.connect(database)
    try:
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    if version != key.alembic_head:
        raise SystemExit(f"the migrated database is at {version}, not at the head "
                         f"{key.alembic_head}")


def same_as(template: Path, key: TemplateKey, expected: dict[str, object],
            restored: Path) -> bool:
    """Whether ``template`` has ``key`` and restores (into ``restored``) to ``expected``."""
    if read_key(template) != key:
        return False
    restore(template, restored)
    return describe(restored) == expected


def build(out: Path) -> str:
    """Build the template into ``out`` (unless the one there is the same); say what it did."""
    from litcurate.atomic import atomic_writer
    from litcurate.pipeline.execution.prefect_database import installed_key

    key = installed_key()
    with tempfile.TemporaryDirectory(prefix="prefect-db-template-") as folder:
        scratch = Path(folder)
        database = migrated_database(scratch)
        built_key(database, key)
        text = template_text(key, dump(database))
        candidate = scratch / "candidate.sql.gz"
        candidate.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
        expected = describe(database)
        if not same_as(candidate, key, expected, scratch / "candidate.db"):
            raise SystemExit("the dump does not restore to the migrated database")
        if out.is_file() and same_as(out, key, expected, scratch / "existing.db"):
            return f"{out}: unchanged ({key.line()})"
        with atomic_writer(out, text=False) as handle:
            handle.write(candidate.read_bytes())
    return f"{out}: written, {out.stat().st_size} bytes ({key.line()})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TEMPLATE)
    parser.add_argument("--migrate", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.migrate is not None:
        migrate(args.migrate)
        return
    print(build(args.out.resolve()))


if __name__ == "__main__":
    main()
