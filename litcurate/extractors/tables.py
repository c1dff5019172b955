"""Document -> tables and cells with provenance: the tables stage.

Detection and structure live in ``table_detection`` and ``table_structure``; this
module walks the pages, stitches a table continued on a later page ("Table 1.
Cont.") onto its first part, and turns grids into ``Table``/``Cell`` records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litcurate.extractors.document import Document
from litcurate.extractors.identity import slugify
from litcurate.extractors.table_detection import TableRegion, find_table_regions
from litcurate.extractors.table_structure import Grid, GridCell, region_to_grid
from litcurate.schemas import Cell, Issue, Severity, Table


@dataclass
class ExtractedTable:
    """One logical table: its record, its cells, and the regions it was read from."""

    table: Table
    cells: list[Cell]
    regions: list[TableRegion]
    header_paths: tuple[str, ...]


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
                boxes.append((region.page, region.x0, region.caption.top, region.x1, bottom))
        return boxes


def table_id_for(paper_id: str, label: str) -> str:
    """Stable table id: paper id + label slug, e.g. '10.3390_jcm8111907:table-1'."""
    return f"{paper_id}:{slugify(label)}"


def _cells(table_id: str, page: int, grid: Grid, row_offset: int) -> list[Cell]:
    cells: list[Cell] = []
    for cell in grid.cells:
        cells.append(_cell(table_id, page, grid, cell, row_offset))
    return cells


def _cell(table_id: str, page: int, grid: Grid, cell: GridCell, row_offset: int) -> Cell:
    path = grid.header_paths[cell.col] if cell.col < len(grid.header_paths) else ""
    if cell.is_header and cell.col_span > 1:
        path = cell.text
    return Cell(
        table_id=table_id,
        row=cell.row + row_offset,
        col=cell.col,
        row_span=cell.row_span,
        col_span=cell.col_span,
        is_header=cell.is_header,
        header_path=path,
        text=cell.text,
        marks=cell.marks,
        page=page,
        x0=round(cell.x0, 2),
        top=round(cell.top, 2),
        x1=round(cell.x1, 2),
        bottom=round(cell.bottom, 2),
    )


def extract_tables(document: Document, paper_id: str) -> TablesResult:
    """Given a document, return every captioned table with its cells and provenance."""
    result = TablesResult()
    by_label: dict[str, ExtractedTable] = {}
    for page in document.pages:
        for region in find_table_regions(page):
            grid = region_to_grid(page, region)
            label = region.caption.label
            table_id = table_id_for(paper_id, label)
            if grid is None:
                result.issues.append(Issue(
                    record_id=table_id, paper_id=paper_id, severity=Severity.WARNING,
                    rule="table-without-grid", page=page.number,
                    message=f"{label} on page {page.number}: caption found but no grid recovered",
                ))
                continue
            existing = by_label.get(label)
            if existing is not None and (region.caption.continued or existing.table.pages):
                _append_continuation(existing, grid, region)
                continue
            table = Table(
                table_id=table_id, paper_id=paper_id, label=label,
                caption=region.caption.text, footnotes=region.legend_text,
                pages=(page.number,), n_rows=grid.n_rows, n_cols=grid.n_cols,
                n_header_rows=grid.n_header_rows, page=page.number,
                x0=round(region.x0, 2), top=round(region.top, 2),
                x1=round(region.x1, 2), bottom=round(region.bottom, 2),
            )
            extracted = ExtractedTable(table, _cells(table_id, page.number, grid, 0), [region],
                                       grid.header_paths)
            by_label[label] = extracted
            result.tables.append(extracted)
    return result


def _append_continuation(existing: ExtractedTable, grid: Grid, region: TableRegion) -> None:
    """Stitch a continued part: its body rows follow the first part's rows."""
    body = [c for c in grid.cells if not c.is_header]
    offset = existing.table.n_rows - grid.n_header_rows
    continuation = Grid(grid.n_rows, grid.n_cols, grid.n_header_rows, grid.header_paths,
                        tuple(body))
    existing.cells.extend(_cells(existing.table.table_id, region.page, continuation, offset))
    existing.regions.append(region)
    footnotes = " ".join(p for p in (existing.table.footnotes, region.legend_text) if p)
    existing.table = existing.table.model_copy(update={
        "pages": tuple(sorted({*existing.table.pages, region.page})),
        "n_rows": existing.table.n_rows + (grid.n_rows - grid.n_header_rows),
        "footnotes": footnotes,
    })
