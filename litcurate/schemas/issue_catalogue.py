"""The issue catalogue: every rule an issue can carry, declared once in ``issue_rules.yaml``.

Emitters never spell a severity or a message shape themselves: ``make_issue`` looks the
rule up, so a rule reads the same wherever it is raised and an undeclared slug fails at
once (and in the catalogue test) instead of reaching a release. The catalogue travels in
every release's datapackage.json, so an app can explain a rule without this package.
PyYAML is imported only when the catalogue is read, which the light release loader never
does.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from litcurate.schemas.enums import Severity
from litcurate.schemas.records import Issue

CATALOGUE_FILE = "issue_rules.yaml"


class IssueRule(BaseModel):
    """One catalogued rule: slug, severity, emitting stage, description, message template,
    and the fields whose correction settles it (``settled_by``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    severity: Severity
    stage: str
    description: str
    message: str
    # A curator's correction of one of these fields of the flagged record answers the
    # issue (a statement's intervention, set by hand): the issue is not published.
    settled_by: tuple[str, ...] = ()


class UnknownIssueRuleError(KeyError):
    """An emitter named a rule the catalogue does not declare: a bug, not a data problem."""


@cache
def issue_rules() -> dict[str, IssueRule]:
    """The catalogue by slug, read once from the packaged YAML file."""
    import yaml

    text = (resources.files("litcurate.schemas") / CATALOGUE_FILE).read_text(encoding="utf-8")
    rules = [IssueRule.model_validate(entry) for entry in yaml.safe_load(text)["rules"]]
    by_slug = {rule.slug: rule for rule in rules}
    if len(by_slug) != len(rules):
        raise ValueError(f"{CATALOGUE_FILE}: a slug is declared twice")
    return by_slug


def issue_rule(slug: str) -> IssueRule:
    """The catalogued rule for ``slug``; raises ``UnknownIssueRuleError`` for an undeclared one."""
    try:
        return issue_rules()[slug]
    except KeyError:
        raise UnknownIssueRuleError(f"issue rule {slug!r} is not in {CATALOGUE_FILE}") from None


def make_issue(slug: str, *, record_id: str, paper_id: str = "", page: int | None = None,
               **fields: Any) -> Issue:
    """An ``Issue`` of a catalogued rule, its message filled from the rule's template
    (which may name the page: "{label} on page {page}")."""
    rule = issue_rule(slug)
    return Issue(record_id=record_id, paper_id=paper_id, severity=rule.severity, rule=slug,
                 message=rule.message.format(page=page, **fields), page=page)


def catalogue_entries() -> list[dict[str, str]]:
    """The catalogue as plain rows in slug order, as published in datapackage.json."""
    return [rule.model_dump(mode="json", exclude={"settled_by"})
            for _, rule in sorted(issue_rules().items())]
