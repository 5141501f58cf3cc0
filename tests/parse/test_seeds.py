"""The five real seeds parse to their hand-typed gold, with provenance that really shows each value."""
from __future__ import annotations

import pytest

import gongkai
from tests.conftest import SEEDS, gold_of


@pytest.fixture(scope="module", params=SEEDS, ids=lambda p: p.stem[:3])
def seed(request):
    return gongkai.parse(request.param), gold_of(request.param)


def test_cells_exactly_as_printed(seed):
    report, gold = seed
    wrong = {k: (report.cells.get(k, "missing"), v) for k, v in gold["cells"].items() if report.cells.get(k, "missing") != v}
    assert wrong == {}


def test_no_cells_beyond_the_format(seed):
    report, gold = seed
    assert set(report.cells) == set(gold["cells"])


def test_meta(seed):
    report, gold = seed
    for key in ("year", "format", "agency", "region", "script"):
        assert str(report.meta[key]) == str(gold["meta"][key]), key
    if "published" in gold["meta"]:
        assert report.meta["published"] == gold["meta"]["published"]
    assert len(report.meta["sha256"]) == 64


def test_provenance_snippet_contains_the_value(seed):
    report, _ = seed
    for cell, value in report.cells.items():
        if value is None:
            assert cell not in report.provenance
            continue
        p = report.provenance[cell]
        printed = report.text[p.start:p.end]
        assert printed.replace(",", "") == (f"{value:g}" if isinstance(value, float) else str(value)) or \
            printed.replace(",", "") == str(value), cell
        assert printed in p.snippet, cell
        assert report.text.count("\n", 0, p.start) + 1 == p.line


def test_traditional_seed_is_flagged_and_kept_as_printed():
    report = gongkai.parse(SEEDS[0])
    assert report.meta["script"] == "traditional"
    assert "read.script.traditional" in [f.code for f in report.findings]
    assert "總計" in report.text  # the text stays as printed; only matching is simplified
