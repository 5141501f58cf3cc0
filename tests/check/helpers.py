"""Seed reports for the check tests: gold cells (no text) and parsed seeds (with text), loaded once."""
from __future__ import annotations

from functools import cache

import gongkai
from gongkai.model import Report
from tests.conftest import SEEDS, gold_of

SEED = {p.stem[:3]: p for p in SEEDS}  # "000" … "004"


@cache
def gold(n: str) -> Report:
    "A seed's hand-typed gold cells as a Report (meta + cells, no text)."
    return Report.from_dict(gold_of(SEED[n]))


@cache
def parsed(n: str) -> Report:
    "A seed read and parsed: cells, provenance and the decoded text."
    return gongkai.parse(SEED[n])


def codes(findings) -> list[str]:
    return [f.code for f in findings]
