"""Table settings: today's values by default, validated, resolved like pdfplumber's."""

from __future__ import annotations

import pytest

from litcurate.extractors.pdf.document import Document
from litcurate.extractors.tables.extract import extract_tables
from litcurate.extractors.tables.settings import DEFAULT_SETTINGS, TableSettings


def test_defaults_keep_the_stage_tolerances() -> None:
    settings = TableSettings()
    assert (settings.wrap_gap_ratio, settings.row_gap_jump, settings.row_share) == (0.45, 1.2, 0.3)
    assert (settings.rule_merge_gap, settings.legend_gap_lines, settings.footer_margin) == (
        3.0, 1.6, 0.07)
    assert settings.leading_limit(10.0) == pytest.approx(4.5)


def test_resolve_accepts_none_a_dict_or_settings() -> None:
    assert TableSettings.resolve(None) == DEFAULT_SETTINGS
    assert TableSettings.resolve(DEFAULT_SETTINGS) is DEFAULT_SETTINGS
    assert TableSettings.resolve({"column_gap": 2.0}).column_gap == 2.0


def test_resolve_refuses_unknown_names_and_other_types() -> None:
    with pytest.raises(ValueError, match="unknown table settings: colum_gap"):
        TableSettings.resolve({"colum_gap": 2.0})
    with pytest.raises(ValueError, match="cannot resolve"):
        TableSettings.resolve(["column_gap"])  # type: ignore[arg-type]


@pytest.mark.parametrize("overrides", [
    {"snap_tolerance": -1.0},
    {"full_width_share": 1.5},
    {"caption_max_lines": 0},
    {"caption_under_lines": 0},
    {"row_gap_jump": "wide"},
])
def test_invalid_settings_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="table setting"):
        TableSettings.resolve(overrides)


def test_extract_tables_takes_settings_overrides() -> None:
    result = extract_tables(Document(pages=()), "paper", {"column_gap": 2.0})
    assert result.tables == []
