"""Every issue rule is declared once in the catalogue, and every emitter uses it."""

from __future__ import annotations

import ast
import csv
import string
from pathlib import Path

import pytest

from litcurate.extractors.knowledge import load_data_file
from litcurate.schemas import Issue, Severity
from litcurate.schemas.issue_catalogue import (
    UnknownIssueRuleError,
    catalogue_entries,
    issue_rules,
    make_issue,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "litcurate"
EMITTER_CALLS = {"make_issue", "PullError", "Finding"}  # first argument: a rule slug
SLUG_ARGUMENT = {"PaperFailure": 2}  # calls whose slug is a later argument


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def emitted_slugs(source: str) -> set[str]:
    """Slugs a module emits: make_issue("x", ...), PullError("x", ...), a table's
    Finding("x", ...) (folded into an issue of that rule), PaperFailure(file, why, "x"),
    class slug = "x"."""
    slugs: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            position = 0 if name in EMITTER_CALLS else SLUG_ARGUMENT.get(name)
            argument = (node.args[position] if position is not None
                        and len(node.args) > position else None)
            if isinstance(argument, ast.Constant):
                slugs.add(str(argument.value))
        elif (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
              and any(isinstance(t, ast.Name) and t.id == "slug" for t in node.targets)):
            slugs.add(str(node.value.value))
    return slugs


def direct_issue_constructions(source: str) -> list[int]:
    """Lines that build an ``Issue(...)`` by hand instead of through the catalogue."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Issue"]


def test_every_emitted_slug_is_catalogued() -> None:
    missing = {f"{path.relative_to(ROOT)}: {slug}"
               for path in _modules() for slug in emitted_slugs(path.read_text())
               if slug not in issue_rules()}
    assert not missing, f"slugs emitted but not in issue_rules.yaml: {sorted(missing)}"


def test_the_scan_finds_slugs_of_every_emitter_shape() -> None:
    source = ('make_issue("a-rule", record_id="x")\nraise PullError("b-rule", "why")\n'
              'class E:\n    slug = "c-rule"\nFinding("d-rule", 3, "why")\n'
              'PaperFailure("a.pdf", "why", "e-rule")\n')
    assert emitted_slugs(source) == {"a-rule", "b-rule", "c-rule", "d-rule", "e-rule"}


def test_issues_are_built_only_through_the_catalogue() -> None:
    allowed = {PACKAGE / "schemas" / "issue_catalogue.py"}
    offenders = {f"{path.relative_to(ROOT)}:{line}" for path in _modules() if path not in allowed
                 for line in direct_issue_constructions(path.read_text())}
    assert not offenders, f"Issue(...) built by hand (use make_issue): {sorted(offenders)}"


def data_file_slugs() -> set[str]:
    """Slugs named in data files: the disjoint-sum rules of the measures vocabulary."""
    return {str(rule["rule"]) for rule in load_data_file("measures.yaml").get("disjoint_sums", [])}


def test_slugs_named_in_data_files_are_catalogued() -> None:
    assert data_file_slugs()
    assert data_file_slugs() <= set(issue_rules())


def test_every_catalogued_rule_is_emitted_somewhere() -> None:
    emitted = set().union(data_file_slugs(), *(emitted_slugs(p.read_text()) for p in _modules()))
    failure_slugs = {"extraction-failed"}  # the base class's slug, also set in code
    assert set(issue_rules()) - emitted - failure_slugs == set()


def test_templates_name_only_simple_fields() -> None:
    for rule in issue_rules().values():
        fields = [name for _, name, _, _ in string.Formatter().parse(rule.message) if name]
        assert all(name.isidentifier() for name in fields), rule.slug
        assert rule.description.endswith("."), rule.slug


def test_make_issue_takes_severity_and_message_from_the_catalogue() -> None:
    issue = make_issue("implausible-year", record_id="p:t:1", paper_id="p", page=3,
                       study="Ho 2007", year=2207)
    assert issue == Issue(record_id="p:t:1", paper_id="p", severity=Severity.WARNING,
                          rule="implausible-year", message="Ho 2007: year 2207 is implausible",
                          page=3)


def test_a_template_naming_the_page_is_filled_from_the_issues_page() -> None:
    issue = make_issue("table-without-grid", record_id="p:table-2", paper_id="p", page=4,
                       label="Table 2")
    assert issue.message == "Table 2 on page 4: caption found but no grid recovered"


def test_an_undeclared_rule_is_refused() -> None:
    with pytest.raises(UnknownIssueRuleError, match="no-such-rule"):
        make_issue("no-such-rule", record_id="x")


def test_the_latest_release_uses_only_catalogued_rules() -> None:
    curated = ROOT / "data" / "curated"
    latest = (curated / "LATEST").read_text().strip()
    with (curated / "releases" / latest / "issues.csv").open(encoding="utf-8") as handle:
        rules = {row["rule"] for row in csv.DictReader(handle)}
    assert rules, "the sample release has issues to check"
    assert rules <= set(issue_rules())


def test_catalogue_rows_are_sorted_and_complete() -> None:
    rows = catalogue_entries()
    assert [r["slug"] for r in rows] == sorted(issue_rules())
    assert set(rows[0]) == {"slug", "severity", "stage", "description", "message"}
