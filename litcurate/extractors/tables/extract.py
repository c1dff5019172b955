"""Document -> tables and cells with provenance: the tables stage.

Detection and structure live in ``detection``, ``header``, ``grid`` and ``rows``;
this module walks the pages, starts a table at each caption and hands a table
continued on a later page ("Table 1. Cont.") to ``stitching``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litcurate.extractors.pdf.document import Document, Page
from litcurate.extractors.pdf.rotation import page_box
from litcurate.extractors.tables.checks import (
    Finding,
    continuation_doubt,
    grid_findings,
    prose_lines,
    table_issue,
)
from litcurate.extractors.tables.detection import (
    TableRegion,
    ends_page,
    find_continuation,
    find_table_regions,
)
from litcurate.extractors.tables.grid import region_to_grid
from litcurate.extractors.tables.settings import TableSettings
from litcurate.extractors.tables.stitching import ExtractedTable, continue_table, grid_to_cells
from litcurate.schemas import Cell, Issue, Table, record_ids
from litcurate.schemas.issue_catalogue import make_issue

__all__ = ["ExtractedTable", "TableSettings", "TablesResult", "extract_tables", "table_id_for"]


@dataclass
class TablesResult:
    tables: list[ExtractedTable] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def cells(self) -> list[Cell]:
        return [cell for table in self.tables for cell in table.cells]

    @property
    def exclusions(self) -> list[tuple[int, float, float, float, float]]:
        """(page, x0, top, x1, bottom) of each table with caption and legend: not prose."""
        boxes: list[tuple[int, float, float, float, float]] = []
        for table in self.tables:
            for region in table.regions:
                bottom = max([region.bottom] + [ln.bottom for ln in region.legend])
                top = region.top
                if not region.captionless:
                    # The caption may be set over the table or under it.
                    top = min(top, region.caption.top)
                    bottom = max(bottom, region.caption.bottom)
                boxes.append((region.page, region.x0, top, region.x1, bottom))
        return boxes


def table_id_for(paper_id: str, label: str) -> str:
    """Stable table id: paper id + label slug, e.g. '10.3390_jcm8111907:table-1'."""
    return record_ids.table_id(paper_id, label)


def extract_tables(document: Document, paper_id: str,
                   settings: TableSettings | Mapping[str, Any] | None = None) -> TablesResult:
    """Given a document, return every captioned table with its cells and provenance.

    A table continued on the next page is stitched into one: under a "continued"
    caption with its label, or with no caption at all when the page before ended
    inside the table and this page opens with its rows. ``settings`` overrides the
    stage's tolerances (None: the defaults; a dict: those named).
    """
    tolerances = TableSettings.resolve(settings)
    result = TablesResult()
    by_label: dict[str, ExtractedTable] = {}
    open_table: ExtractedTable | None = None
    for page in document.pages:
        regions = find_table_regions(page, tolerances)
        if open_table is not None and not any(r.caption.label == open_table.table.label
                                              for r in regions):
            region = find_continuation(page, open_table.regions[-1], regions, tolerances)
            doubt = None if region is None else continuation_doubt(
                page, region, open_table.columns, tolerances)
            if doubt is not None:
                open_table.findings.append(Finding("continuation-rejected", page.number,
                                                   f"rows at the top of the page: {doubt}"))
            elif region is not None and continue_table(open_table, page, region, tolerances):
                _check_prose(open_table, page, region, tolerances)
                regions = [region, *regions]
        open_table = None
        _read_regions(page, regions, paper_id, by_label, result, tolerances)
        for view in page.views:
            _read_regions(view, find_table_regions(view, tolerances), paper_id, by_label, result,
                          tolerances)
        last = [t for t in result.tables if t.regions[-1].page == page.number
                and not t.rotation]
        if last and ends_page(page, last[-1].regions[-1], tolerances):
            open_table = last[-1]
    for table in result.tables:
        findings = [*table.findings, *grid_findings(table.cells, tolerances)]
        issue = table_issue(table.table.table_id, paper_id, table.table.label, findings)
        if issue is not None:
            result.issues.append(issue)
    return result


def _check_prose(table: ExtractedTable, page: Page, region: TableRegion,
                 settings: TableSettings) -> None:
    """Note when a table's region on ``page`` holds lines of body prose."""
    lines = prose_lines(page, region, table.columns, settings)
    if len(lines) >= 2:
        table.findings.append(Finding("region-overlaps-prose", page.number,
                                      f"{len(lines)} lines of body prose inside the region"))


def _read_regions(page: Page, regions: list[TableRegion], paper_id: str,
                  by_label: dict[str, ExtractedTable], result: TablesResult,
                  settings: TableSettings) -> None:
    """Turn a page's (or rotated view's) captioned regions into tables or continuations."""
    for region in regions:
        if region.captionless:
            continue
        label = region.caption.label
        table_id = table_id_for(paper_id, label)
        existing = by_label.get(label)
        if existing is not None and (region.caption.continued or existing.table.pages):
            continue_table(existing, page, region, settings)
            continue
        grid = region_to_grid(page, region, settings=settings)
        if grid is None:
            result.issues.append(make_issue("table-without-grid", record_id=table_id,
                                            paper_id=paper_id, page=page.number, label=label))
            continue
        x0, top, x1, bottom = page_box(page, (region.x0, region.top, region.x1, region.bottom))
        table = Table(
            table_id=table_id, paper_id=paper_id, label=label,
            caption=region.caption.text, footnotes=region.legend_text,
            pages=(page.number,), n_rows=grid.n_rows, n_cols=grid.n_cols,
            n_header_rows=grid.n_header_rows, page=page.number,
            x0=round(x0, 2), top=round(top, 2), x1=round(x1, 2), bottom=round(bottom, 2),
        )
        extracted = ExtractedTable(table, grid_to_cells(table_id, page, grid, 0), [region],
                                   grid.header_paths, grid.columns, grid.header_text,
                                   page.rotation)
        _check_prose(extracted, page, region, settings)
        by_label[label] = extracted
        result.tables.append(extracted)
