"""The extractor's output on every fixture equals its reviewed snapshot.

A difference means the output changed: if the change is intended, run `make golden`
and review the snapshot diff in the pull request.
"""

from __future__ import annotations

import json

import pytest

from litcurate.evaluation.table_accuracy import ExpectedFile
from tests.golden.fixtures import expected_files, extracted
from tests.golden.regenerate import snapshot, snapshot_path


@pytest.mark.parametrize("expected_file", expected_files(), ids=lambda f: f.name)
def test_output_matches_snapshot(expected_file: ExpectedFile) -> None:
    path = snapshot_path(expected_file)
    assert path.exists(), f"no snapshot for {expected_file.name}: run `make golden`"
    want = json.loads(path.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(snapshot(extracted(expected_file.pdf))))
    assert got == want, "extractor output changed: run `make golden` and review the diff"
