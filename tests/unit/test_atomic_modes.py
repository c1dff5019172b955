"""Files written atomically get the permissions a plain write would give them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from litcurate.atomic import write_atomic


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_umask_mode_and_a_replaced_one_keeps_its_own(
        tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "sources.yaml", "papers: []\n")
        assert mode(tmp_path / "sources.yaml") == 0o644
        (tmp_path / "p.pdf").write_bytes(b"%PDF-old")
        (tmp_path / "p.pdf").chmod(0o640)
        write_atomic(tmp_path / "p.pdf", b"%PDF-new", sync=True)
        assert mode(tmp_path / "p.pdf") == 0o640
    finally:
        os.umask(previous)
