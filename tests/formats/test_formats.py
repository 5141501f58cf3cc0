"""Each fact has one home: the format files and shared/spec/cells.csv name exactly the same cell ids."""
from __future__ import annotations

import csv

import pytest

from gongkai.formats.schema import FormatError, all_formats, load, parse_format
from tests.conftest import SHARED

ROWS = list(csv.DictReader((SHARED / "spec" / "cells.csv").open(encoding="utf-8")))


@pytest.mark.parametrize("version", ["2008", "2019", "2021"])
def test_format_names_exactly_the_csv_ids(version):
    want = {r["id"] for r in ROWS if r["format"] == version or (version != "2008" and r["format"] == "both")}
    assert set(load(version).cells) == want


def test_packaged_cells_csv_is_the_shared_one():
    from importlib import resources
    packaged = resources.files("gongkai.formats").joinpath("cells.csv").read_text("utf-8")
    assert packaged == (SHARED / "spec" / "cells.csv").read_text("utf-8")


def test_every_rule_cell_is_a_format_cell():
    for spec in all_formats():
        assert spec.rules, spec.version
        for rule in spec.rules:
            assert set(rule.cells) <= set(spec.cells)


def test_a_broken_format_fails_at_load_time():
    with pytest.raises(FormatError, match="bad.toml"):
        parse_format('version = "x"\nyears = [1, 2]\n[[rules]]\ncode = "c"\nleft = ["a.{col}"]\nright = []\n', "bad.toml")
