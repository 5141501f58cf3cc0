"""The shared writer: grid expansion, squeezing split columns, pipe rows and their Locs."""
from __future__ import annotations

from hypothesis import given, strategies as st

from gongkai.read.layout import Span, Writer, clean, expand


def test_expand_rowspan_colspan():
    a, b, c, d = Span("a", 2, 1), Span("b", 1, 2), Span("c"), Span("d")
    grid = expand([[a, b], [c, d]])
    assert [[s.text for s in row] for row in grid] == [["a", "b", "b"], ["a", "c", "d"]]


def test_bands_merge_their_own_columns():
    "The 2021 template stacks tables of 4 and 2 columns in one Word table; each band keeps only its own columns."
    title, head, value = Span("第二十条第（五）项", 1, 4), Span("本年处理决定数量", 1, 3), Span("15", 1, 3)
    rows = [[Span("信息内容"), Span("本年制发件数"), Span("本年废止件数"), Span("现行有效件数")],
            [title], [Span("信息内容"), head], [Span("行政许可"), value]]
    assert [[s.text for s in row] for row in expand(rows)] == [
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"], ["行政许可", "15"]]


def test_columns_no_row_splits_are_merged():
    a, b = Span("a", 1, 2), Span("b", 1, 2)
    assert [[s.text for s in row] for row in expand([[a], [b]])] == [["a"], ["b"]]


def test_writer_rows_and_locs():
    w = Writer()
    w.line("标题")
    w.table([[Span("规章"), Span(""), Span("3")]])
    assert w.text == "标题\n规章 |  | 3 |\n"
    locs = w.sorted_locs()
    assert [w.text[l.start:l.end] for l in locs] == ["规章", "", "3"]


def test_clean_joins_wrapped_chinese_only():
    assert clean("本年新收\r\n  数量") == "本年新收数量"
    assert clean("商业 企业\u00a0") == "商业 企业"
    assert clean("12\n34") == "12 34"


@given(st.lists(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=4),
                min_size=1, max_size=5))
def test_expand_is_rectangular(shape):
    rows = [[Span(f"{r}{c}", rs, cs) for c, (rs, cs) in enumerate(row)] for r, row in enumerate(shape)]
    grid = expand(rows)
    full_width = [row for row in grid if len(row) > 1]
    assert len({len(row) for row in full_width}) <= 1  # only one-cell rows (a title across the table) are narrower
    w = Writer()
    w.table(grid)
    assert len(w.text.splitlines()) == len(grid)
