"""The tables stage's tolerances, declared once.

Every threshold that decides a table's structure lives here under a name, with the
value it has always had: how far a caption may run, how wide a gap splits columns,
how much tighter the leading inside a cell is than the gap between rows. The stage
entry ``extract_tables`` resolves one ``TableSettings`` (None, a dict of overrides,
or an instance) and hands it down to every step.

Units follow the suffix: ``_em`` multiplies a type size, ``_lines`` a line height,
``_share`` and ``_ratio`` are fractions (of a width, a height, a page), the rest are
PDF points. Sub-point slack that only absorbs rounded coordinates (0.5 or 1 point
either side of a comparison) stays with the comparison it guards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

DEFAULT_WRAP_GAP_RATIO = 0.45  # in-cell leading is at most this share of a line's height
DEFAULT_ROW_GAP_JUMP = 1.2  # points: rows are at least this much further apart than wrapped lines
DEFAULT_COLUMN_GAP = 1.0  # points: body phrases closer than this share a column
DEFAULT_SNAP_TOLERANCE = 2.0  # points: words and rules this far outside a table's x-range belong
DEFAULT_RULE_SNAP_TOLERANCE = 4.0  # points: the same for the rules under a caption
DEFAULT_RULE_MERGE_GAP = 3.0  # points: rule pieces this close on one y are one rule
DEFAULT_FULL_WIDTH_SHARE = 0.85  # a rule or line this share of the table's width spans it
DEFAULT_CAPTION_RULE_DISTANCE_EM = 4.0  # a rule this close under a caption line rules it off

# Settings that are fractions of a whole (the margins in points are not).
FRACTIONS = frozenset({
    "long_phrase_share", "footer_margin", "run_on_foot_share", "full_width_share",
    "rule_width_tolerance", "cut_rule_share", "run_wide_share", "prose_width_share",
    "legend_width_share", "legend_leading_share", "wide_segment_share", "cell_line_share",
    "span_cover_share", "wrap_gap_ratio", "row_share", "unnamed_strip_share",
    "column_touch_share", "off_column_share", "prose_line_share", "collapsed_row_share",
    "justified_line_share", "level_line_share",
    "unaligned_row_share",
})


@dataclass(frozen=True)
class TableSettings:
    """Tolerances of table detection, header, grid, rows, legend and stitching."""

    # Captions.
    caption_phrase_gap_em: float = 1.5  # a wider gap ends a caption's run of phrases
    caption_gutter_gap_em: float = 0.8  # ...and so does this gap across a column gutter
    caption_align_tolerance: float = 4.0  # points: continuation lines align under the caption
    caption_centre_tolerance: float = 12.0  # points: or are centred under a label set alone
    caption_leading_em: float = 0.6  # continuation lines follow with at most this leading
    caption_line_drop_em: float = 0.6  # ...and start at least this far under the line above
    caption_size_tolerance: float = 0.6  # points: ...in the caption's type size
    caption_max_lines: int = 7  # continuation lines looked at under a caption's first line
    caption_rule_distance_em: float = DEFAULT_CAPTION_RULE_DISTANCE_EM
    caption_rule_reach_em: float = 6.0  # rules this far under a caption give the table's width
    caption_under_lines: int = 3  # table lines looked for under a caption; a rule-less table
    # set over its caption has at least this many
    caption_side_gap_em: float = 4.0  # a table's rule this near a caption's side sits beside it
    small_type_margin: float = 0.3  # points under body size: a caption or phrase in small type

    # Page layout.
    gutter_margin: float = 20.0  # points either side of the middle that a full-width line crosses
    half_column_margin: float = 10.0  # points: a caption this near the middle sits in one half
    long_phrase_share: float = 0.25  # phrases this share of the page wide show the columns
    footer_margin: float = 0.07  # share of the page height at top and bottom for running heads
    run_on_foot_share: float = 0.06  # rows running on past the last rule stop this near the foot

    # Rules and regions.
    snap_tolerance: float = DEFAULT_SNAP_TOLERANCE
    rule_snap_tolerance: float = DEFAULT_RULE_SNAP_TOLERANCE
    rule_merge_gap: float = DEFAULT_RULE_MERGE_GAP
    rule_same_y: float = 1.0  # points: rule pieces this close in y share one y
    full_width_share: float = DEFAULT_FULL_WIDTH_SHARE
    rule_width_tolerance: float = 0.05  # share of the top rule's width another full rule may differ
    cut_rule_share: float = 0.3  # a rule this share of the table wide parts a ruled grid's rows
    captionless_rule_gap: float = 2.0  # points: a continued part's first rule this far down
    continuation_rule_em: float = 3.0  # a rule this far over a continued part's rows opens it
    body_size_tolerance: float = 0.2  # points: type within this of the body size is body type
    run_gap_em: float = 2.5  # a gap this many type sizes ends a rule-less table's run of lines
    run_wide_share: float = 0.6  # a body-size phrase this share of the run wide ends it too
    run_on_rows_em: float = 3.0  # rows this close under the last rule still belong to the table
    prose_width_share: float = 0.8  # body-size lines this share of a rule wide are prose
    justified_gap_em: float = 1.2  # gaps up to this are stretched word spaces of justified prose

    # Legends.
    legend_width_share: float = 0.7  # a single phrase this share of the run wide opens a legend
    legend_first_gap_lines: float = 2.5  # the legend's first line is at most this far down
    legend_gap_lines: float = 1.6  # a gap wider than this many line heights ends the legend
    legend_gap_slack: float = 4.0  # points added to both legend gaps
    legend_leading_share: float = 0.6  # a legend line this close to the last one continues it
    legend_size_tolerance: float = 0.5  # points: legend lines keep one type size
    legend_size_allowance: float = 1.0  # points: a legend may be set this much above the table

    # Columns, cells and header.
    wide_segment_share: float = 0.5  # body phrases this share of the table wide are notes
    column_gap: float = DEFAULT_COLUMN_GAP
    cell_line_share: float = 0.4  # phrases sharing this share of a height are one cell line
    spanner_gap_em: float = 1.2  # a short rule this close under a header phrase marks a parent
    straddle_level_em: float = 0.5  # header phrases this close in y are on one level
    span_cover_share: float = 0.3  # a parent covers a column overlapping this share of it...
    span_cover_cap: float = 8.0  # ...or of this many points for a wide column
    wrap_slack: float = 1.0  # points added to the leading limit between a title's wrapped lines
    header_level_gap: float = 2.0  # points: parents whose tops differ more are on two levels
    spanner_align_tolerance: float = 3.0  # points: a parent this near its first column's left edge

    # Rows.
    wrap_gap_ratio: float = DEFAULT_WRAP_GAP_RATIO
    row_gap_jump: float = DEFAULT_ROW_GAP_JUMP
    row_share: float = 0.3  # a block joins a row when they share this share of the smaller height
    unnamed_strip_share: float = 0.3  # this share of lines with an empty first column: cells wrap
    level_line_share: float = 0.8  # lines sharing this share of a height sit level (one baseline)

    # Stitching.
    repeated_header_score: int = 85  # fuzzy score from which a continued part repeats the header
    column_touch_share: float = 0.3  # a phrase sits in a column overlapping this share of it
    off_column_share: float = 0.4  # a continued part with more phrases off the columns is not one
    prose_line_share: float = 0.3  # ...nor one with this share of its lines prose
    flush_slack: float = 1.5  # points: a phrase this near both edges of its column fills it
    prose_run_em: float = 15.0  # ...when it is at least this many type sizes wide
    justified_line_share: float = 0.35  # this share of column runs set flush: prose

    # Checks of a table's reading.
    check_min_rows: int = 3  # tables with fewer body rows are not judged
    collapsed_numbers: int = 3  # a cell with a run of this many bare numbers holds several columns
    collapsed_row_share: float = 0.3  # this share of rows so: the columns collapsed
    unaligned_row_share: float = 0.3  # this share of rows reading as the rest of the row above

    def __post_init__(self) -> None:
        for setting in fields(self):
            value = getattr(self, setting.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"table setting '{setting.name}' must be a number: {value!r}")
            if value < 0:
                raise ValueError(f"table setting '{setting.name}' cannot be negative")
            if setting.name in FRACTIONS and value > 1:
                raise ValueError(f"table setting '{setting.name}' is a fraction: at most 1")
        if (self.caption_max_lines < 1 or self.caption_under_lines < 1
                or not 0 < self.repeated_header_score <= 100):
            raise ValueError(f"table settings out of range: {self}")

    @classmethod
    def resolve(cls, settings: TableSettings | Mapping[str, Any] | None) -> TableSettings:
        """Given None, overrides by name or settings, return the settings to use."""
        if settings is None:
            return cls()
        if isinstance(settings, cls):
            return settings
        if isinstance(settings, Mapping):
            unknown = sorted(set(settings) - {f.name for f in fields(cls)})
            if unknown:
                raise ValueError(f"unknown table settings: {', '.join(unknown)}")
            return cls(**settings)
        raise ValueError(f"cannot resolve table settings from {settings!r}")

    def leading_limit(self, line_height: float) -> float:
        """The widest gap still read as leading inside one cell: a wider one starts a row."""
        return self.wrap_gap_ratio * line_height


DEFAULT_SETTINGS = TableSettings()
