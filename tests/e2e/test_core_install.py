"""A downstream app installs litcurate without the pipeline extra and loads a release.

The venv gets only the core dependencies pinned in uv.lock (pydantic, pandas, pyarrow),
then the package itself without dependencies; no PDF or workflow library is present.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".uv" / "bin" / "uv"
SCRIPT = """
import importlib.util, sys
import litcurate
for absent in ("pdfplumber", "prefect", "spacy"):
    assert importlib.util.find_spec(absent) is None, absent
release = litcurate.load(sys.argv[1], "latest")
outcomes = list(release.records("outcomes"))
statements = release.frame("statements").shape[0]
print(release.version, len(outcomes), type(outcomes[0]).__name__, statements)
"""


def run(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.skipif(not UV.exists(), reason="the project's uv bootstrap (.uv/) is not present")
def test_core_only_install_loads_the_sample_release(tmp_path: Path) -> None:
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    run(str(UV), "venv", "-q", "--python", sys.executable, str(venv), env=env)
    requirements = tmp_path / "core.txt"
    requirements.write_text(run(str(UV), "export", "--frozen", "--no-emit-project",
                                "--no-hashes", "-q", "--project", str(ROOT), env=env))
    run(str(UV), "pip", "install", "-q", "--python", str(python), "-r", str(requirements),
        env=env)
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".uv", ".git", "data", "tests", "benchmarks", "tools", "*_cache"))
    run(str(UV), "pip", "install", "-q", "--no-deps", "--python", str(python), str(source),
        env=env)
    output = run(str(python), "-c", SCRIPT, str(ROOT / "data" / "curated"), env=env)
    version, count, kind, statements = output.split()
    assert version == (ROOT / "data" / "curated" / "LATEST").read_text().strip()
    assert int(count) > 100 and kind == "Outcome" and int(statements) > 10
