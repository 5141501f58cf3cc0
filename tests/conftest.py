"""Shared fixtures: where shared/ is, the seeds and their gold answers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))


def gold_of(seed: Path) -> dict:
    return json.loads((SHARED / "spec" / "gold" / (seed.stem + ".json")).read_text("utf-8"))


@pytest.fixture(scope="session")
def shared() -> Path:
    return SHARED
