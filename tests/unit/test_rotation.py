"""Rotated text turned upright and boxes mapped back to the printed page."""

from __future__ import annotations

import pytest

from litcurate.extractors.pdf.rotation import rotated_views, to_page, to_view, turn_of

WIDTH, HEIGHT = 595.0, 842.0


@pytest.mark.parametrize("turn", [90, 270])
def test_view_boxes_map_back_to_the_same_page_box(turn: int) -> None:
    box = (100.0, 200.0, 112.0, 260.0)
    assert to_page(to_view(box, turn, WIDTH, HEIGHT), turn, WIDTH, HEIGHT) == box


def test_turn_is_read_from_the_text_matrix() -> None:
    assert turn_of((0, 1, -1, 0, 0, 0)) == 90
    assert turn_of((0, -1, 1, 0, 0, 0)) == 270
    assert turn_of((1, 0, 0, 1, 0, 0)) == 0


def char(text: str, x0: float, top: float, turn: int) -> dict[str, object]:
    """A glyph of 10 pt text running up (90) or down (270) the page from (x0, top)."""
    height = 6.0  # advance along the line
    if turn == 90:
        box = (x0, top - height, x0 + 10.0, top)
        matrix = (0, 1, -1, 0, 0, 0)
    else:
        box = (x0, top, x0 + 10.0, top + height)
        matrix = (0, -1, 1, 0, 0, 0)
    return {"text": text, "x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3],
            "matrix": matrix, "fontname": "Helvetica"}


@pytest.mark.parametrize("turn", [90, 270])
def test_text_running_up_or_down_reads_left_to_right_in_its_view(turn: int) -> None:
    step = -6.0 if turn == 90 else 6.0
    start = 700.0 if turn == 90 else 100.0
    word = "Outcomes" * 3  # enough glyphs to be a view, not a stamp
    chars = [char(c, 300.0, start + i * step, turn) for i, c in enumerate(word)]
    (view,) = rotated_views(3, WIDTH, HEIGHT, chars, (), (), lambda name: False)
    assert view.rotation == turn and view.width == HEIGHT and view.height == WIDTH
    assert [w.text for w in view.words] == [word]
    assert view.words[0].size == pytest.approx(10.0)


def test_a_few_rotated_glyphs_are_not_a_view() -> None:
    chars = [char(c, 20.0, 500.0 - i * 6, 90) for i, c in enumerate("arXiv")]
    assert rotated_views(1, WIDTH, HEIGHT, chars, (), (), lambda name: False) == ()
