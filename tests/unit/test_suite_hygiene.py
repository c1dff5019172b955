"""The suite's own clean-up finds what it must stop, and only that."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import orphans_of, processes_of


def test_processes_of_a_home_finds_its_children_only(tmp_path: Path) -> None:
    env = {**os.environ, "LITCURATE_HOME": str(tmp_path)}
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], env=env)
    try:
        found = [p.pid for p in processes_of(tmp_path)]
        assert found == [child.pid]
        assert processes_of(tmp_path / "elsewhere") == []
    finally:
        child.kill()
        child.wait()


def test_an_orphan_is_told_apart_from_a_child(tmp_path: Path) -> None:
    env = {**os.environ, "LITCURATE_HOME": str(tmp_path)}
    sleeper = "import time; time.sleep(60)"
    child = subprocess.Popen([sys.executable, "-c", sleeper], env=env)
    parent = subprocess.run(  # starts a sleeper, prints its pid and exits: an orphan
        [sys.executable, "-c", "import subprocess, sys; print(subprocess.Popen([sys.executable,"
         f" '-c', {sleeper!r}], start_new_session=True, stdout=subprocess.DEVNULL,"
         " stderr=subprocess.DEVNULL).pid)"],
        env=env, capture_output=True, text=True, check=True)
    orphan = int(parent.stdout)
    try:
        assert [p.pid for p in orphans_of(tmp_path, grace=0.3)] == [orphan]
    finally:
        child.kill()
        child.wait()
        os.kill(orphan, 9)
