"""The run memo vouches for LATEST only while inputs and LATEST are both unchanged."""

from __future__ import annotations

from pathlib import Path

from litcurate.pipeline.execution.run_memo import inputs_digest, remember, unchanged_since_last_run
from litcurate.pipeline.release.publish import publish_release
from tests.unit.test_release_format import outcome, records


def test_memo_skips_only_identical_inputs_and_an_untouched_latest(tmp_path: Path) -> None:
    home, curated = tmp_path / "home", tmp_path / "curated"
    digest = inputs_digest({"papers": ["k1", "k2"]})
    assert digest == inputs_digest({"papers": ["k1", "k2"]})
    assert digest != inputs_digest({"papers": ["k1", "k3"]})
    assert unchanged_since_last_run(home, curated, digest) is None  # nothing published yet
    publish_release(records(outcome()), curated)
    assert unchanged_since_last_run(home, curated, digest) is None  # never remembered
    remember(home, curated, digest)
    assert unchanged_since_last_run(home, curated, digest) == "1.0.0"
    assert unchanged_since_last_run(home, curated, inputs_digest({"papers": []})) is None
    manifest = curated / "releases" / "1.0.0" / "datapackage.json"
    manifest.write_text(manifest.read_text() + " ")  # LATEST edited by hand
    assert unchanged_since_last_run(home, curated, digest) is None
    remember(home, curated, digest)
    publish_release(records(outcome(), outcome(12.0, "p:new")), curated)  # someone else
    assert unchanged_since_last_run(home, curated, digest) is None
