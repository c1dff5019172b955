"""One logical table from its parts: a table continued on later pages is stitched on.

A continued part ("Table 1. Cont.", or the caption-less rest at the top of the next
page) is read with the first part's columns; its header counts only if it repeats
the first part's, and a row split by the page break is joined back together. Grids
become ``Cell`` records here, their boxes mapped back to the printed page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from litcurate.extractors.pdf.document import Page
from litcurate.extractors.pdf.rotation import page_box
from litcurate.extractors.tables.cells import Grid, GridCell
from litcurate.extractors.tables.checks import Finding
from litcurate.extractors.tables.detection import TableRegion
from litcurate.extractors.tables.grid import region_to_grid
from litcurate.extractors.tables.settings import DEFAULT_SETTINGS, TableSettings
from litcurate.schemas import Cell, Table


@dataclass
class ExtractedTable:
    """One logical table: its record, its cells, and the regions it was read from."""

    table: Table
    cells: list[Cell]
    regions: list[TableRegion]
    header_paths: tuple[str, ...]
    columns: tuple[tuple[float, float], ...] = ()
    header_text: str = ""
    rotation: int = 0  # set on a landscape table read from a rotated view
    findings: list[Finding] = field(default_factory=list)  # causes to doubt its reading


def grid_to_cells(table_id: str, page: Page, grid: Grid, row_offset: int) -> list[Cell]:
    """Given one part's grid, return its ``Cell`` records, rows shifted by ``row_offset``."""
    cells: list[Cell] = []
    for cell in grid.cells:
        cells.append(_cell(table_id, page, grid, cell, row_offset))
    return cells


def _cell(table_id: str, page: Page, grid: Grid, cell: GridCell, row_offset: int) -> Cell:
    path = grid.header_paths[cell.col] if cell.col < len(grid.header_paths) else ""
    if cell.is_header and cell.col_span > 1:
        path = cell.text
    x0, top, x1, bottom = page_box(page, (cell.x0, cell.top, cell.x1, cell.bottom))
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
        page=page.number,
        x0=round(x0, 2),
        top=round(top, 2),
        x1=round(x1, 2),
        bottom=round(bottom, 2),
    )


def continue_table(existing: ExtractedTable, page: Page, region: TableRegion,
                   settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """Read a continued part with the first part's columns and stitch its body rows on.

    Its first lines are a header only if they repeat the first part's header; a
    continuation set without one starts straight with rows.
    """
    columns = existing.columns or None
    grid = region_to_grid(page, region, columns=columns, settings=settings)
    if grid is None:
        return False
    if not _same_header(grid, existing, settings):
        grid = region_to_grid(page, region, has_header=False, columns=columns,
                              settings=settings)
        if grid is None:
            return False
    _append_continuation(existing, grid, region, page)
    return True


def _same_header(grid: Grid, table: ExtractedTable,
                 settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """Does a continued part open with the first part's header, printed again?"""
    if grid.n_header_rows == 0:
        return False
    score = fuzz.ratio(squash_words(grid.header_text), squash_words(table.header_text))
    return score >= settings.repeated_header_score


def squash_words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _append_continuation(existing: ExtractedTable, grid: Grid, region: TableRegion,
                         page: Page) -> None:
    """Stitch a continued part: its body rows follow the first part's rows.

    A row split by the page break leaves its rest at the top of the new part with
    nothing in the first column; that rest is joined onto the part's last row.
    """
    body = [c for c in grid.cells if not c.is_header]
    first_row = grid.n_header_rows
    opening = [c for c in body if c.row == first_row]
    rows_added = grid.n_rows - grid.n_header_rows
    if opening and existing.cells and _is_row_rest(opening, existing):
        _join_onto_last_row(existing, opening)
        body = [GridCell(c.row - 1, c.col, c.text, c.marks, c.is_header, c.x0, c.top, c.x1,
                         c.bottom, c.row_span, c.col_span)
                for c in body if c.row != first_row]
        rows_added -= 1
    offset = existing.table.n_rows - grid.n_header_rows
    continuation = Grid(grid.n_rows, grid.n_cols, grid.n_header_rows, grid.header_paths,
                        tuple(body))
    existing.cells.extend(grid_to_cells(existing.table.table_id, page, continuation, offset))
    existing.regions.append(region)
    footnotes = " ".join(p for p in (existing.table.footnotes, region.legend_text) if p)
    existing.table = existing.table.model_copy(update={
        "pages": tuple(sorted({*existing.table.pages, region.page})),
        "n_rows": existing.table.n_rows + rows_added,
        "footnotes": footnotes,
    })


def _is_row_rest(opening: list[GridCell], existing: ExtractedTable) -> bool:
    """The first row of a continued part is the rest of a split row: no first cell,
    only a few cells filled (the long ones that ran over the break), in a table whose
    first column names every other row (so an empty one is not just a sub-row)."""
    by_col = {c.col: c.text for c in opening}
    filled = sum(1 for text in by_col.values() if text)
    if by_col.get(0) or not 0 < filled <= len(by_col) / 2:
        return False
    firsts = [c.text for c in existing.cells if c.col == 0 and not c.is_header]
    return bool(firsts) and all(firsts)


def _join_onto_last_row(existing: ExtractedTable, opening: list[GridCell]) -> None:
    """Append each cell's text of a split row's rest to the cell above it.

    The joined cell keeps the box of its first part; the rest's page is on the table.
    """
    last = max(c.row for c in existing.cells)
    rest = {c.col: c.text for c in opening if c.text}
    for index, cell in enumerate(existing.cells):
        if cell.row == last and cell.col in rest:
            text = f"{cell.text}\n{rest[cell.col]}" if cell.text else rest[cell.col]
            existing.cells[index] = cell.model_copy(update={"text": text})
