"""The reference consumer in examples/ answers a patient profile from the sample release."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def helper():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("decision_helper",
                                                  ROOT / "examples" / "decision_helper.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["decision_helper"] = module
    spec.loader.exec_module(module)
    return module


def test_a_transplant_candidate_meets_the_transplantation_criteria(helper, capsys) -> None:  # type: ignore[no-untyped-def]
    code = helper.main(["--release", str(ROOT / "data" / "curated"), "--ki67", "5",
                        "--hepatic-invasion", "30", "--no-extrahepatic", "--months-stable", "8",
                        "--primary-resected", "--lesion-cm", "3", "--grade", "1"])
    out = capsys.readouterr().out
    assert code == 0
    block = out[out.index("transplantation consider"):].split("\n[")[0]
    assert "met      ki-67 < 10%" in block and "met      hepatic invasion <50%" in block
    assert "violated" not in block
    assert "liver_directed: median PFS" in out and "median OS" in out


def test_extrahepatic_disease_makes_the_contraindication_apply(helper) -> None:  # type: ignore[no-untyped-def]
    import litcurate

    release = litcurate.load(ROOT / "data" / "curated", "latest")
    profile = helper.Profile(extrahepatic=True)
    verdicts = {(i["statement"].direction, i["verdict"]) for i in helper.assess(release, profile)}
    assert ("contraindicated", "applies") in verdicts
    assert ("not_recommended", "applies") in verdicts
