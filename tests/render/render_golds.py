"""The seed gold reports (shared/spec/gold), for parametrised render tests."""
import json
from pathlib import Path

GOLD = Path(__file__).resolve().parents[3] / "shared" / "spec" / "gold"
if not GOLD.exists():
    GOLD = Path("/work/shared/spec/gold")


def gold_reports() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(GOLD.glob("*.json"))}


def gold_of(version: str) -> dict:
    return next(g for g in gold_reports().values() if g["meta"]["format"] == version)


def gold_with_blanks() -> dict:
    "The gold report printing the most blank cells (seed 002, 2019 format)."
    return max(gold_reports().values(), key=lambda g: sum(v is None for v in g["cells"].values()))
