"""The empty Prefect database the package ships: restored into a fresh home only for the
Prefect it was built for, never over a database, and rebuilt when Prefect changes."""

from __future__ import annotations

import gzip
import sqlite3
import threading
from pathlib import Path

import pytest

from litcurate.pipeline.execution.prefect_database import (
    REBUILD_COMMAND,
    TEMPLATE,
    TemplateKey,
    installed_key,
    parse_key,
    read_key,
    seed_database,
)


def _shipped_key() -> TemplateKey:
    key = read_key(TEMPLATE)
    assert key is not None, f"no readable template at {TEMPLATE}: run {REBUILD_COMMAND}"
    return key


def _tables(database: Path) -> set[str]:
    connection = sqlite3.connect(database)
    try:
        return {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()


def _head(database: Path) -> str:
    connection = sqlite3.connect(database)
    try:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        connection.close()


def test_shipped_template_is_for_the_installed_prefect() -> None:
    assert _shipped_key() == installed_key(), (
        f"the Prefect database template was built for {_shipped_key()}, but the installed "
        f"Prefect is {installed_key()}: rebuild it with {REBUILD_COMMAND} and commit it")


def test_a_fresh_home_gets_the_template_when_prefect_matches(tmp_path: Path) -> None:
    key = _shipped_key()
    database = tmp_path / "prefect" / "prefect.db"
    assert seed_database(database, key.prefect)
    assert _head(database) == key.alembic_head
    assert {"flow_run", "task_run", "log", "artifact"} <= _tables(database)
    assert [p.name for p in database.parent.iterdir()] == ["prefect.db"]  # no leftovers


def test_another_prefect_version_is_left_to_migrate(tmp_path: Path) -> None:
    database = tmp_path / "prefect.db"
    assert not seed_database(database, _shipped_key().prefect + ".post1")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("existing", ["prefect.db", "prefect.db-wal", "prefect.db-journal"])
def test_an_existing_database_is_never_replaced(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_bytes(b"a database in use")
    assert not seed_database(tmp_path / "prefect.db", _shipped_key().prefect)
    assert (tmp_path / existing).read_bytes() == b"a database in use"
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]


def test_runs_seeding_at_once_put_one_whole_database(tmp_path: Path) -> None:
    database, version = tmp_path / "prefect.db", _shipped_key().prefect
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(seed_database(database, version)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    assert _head(database) == _shipped_key().alembic_head
    assert [p.name for p in tmp_path.iterdir()] == ["prefect.db"]


def test_a_damaged_template_is_ignored(tmp_path: Path) -> None:
    template = tmp_path / "template.sql.gz"
    key = _shipped_key()
    template.write_bytes(gzip.compress(f"{key.line()}\nCREATE TABLE broken (;\n".encode()))
    database = tmp_path / "home" / "prefect.db"
    assert not seed_database(database, key.prefect, template)
    assert list(database.parent.iterdir()) == []
    (tmp_path / "truncated.sql.gz").write_bytes(template.read_bytes()[:20])
    assert not seed_database(database, key.prefect, tmp_path / "truncated.sql.gz")
    assert not seed_database(database, key.prefect, tmp_path / "missing.sql.gz")


def test_the_key_line_round_trips() -> None:
    key = TemplateKey(prefect="3.8.8", alembic_head="a3b9c7d2e5f1")
    assert parse_key(key.line()) == key
    assert parse_key("BEGIN TRANSACTION;") is None
    assert parse_key(key.line().replace("alembic_head=a3b9c7d2e5f1", "")) is None
