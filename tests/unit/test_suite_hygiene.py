"""The suite's own clean-up finds what it must stop, and only that."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import processes_of


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
