"""Screenshots of the web service for the docs: the check page (a seed with one number changed) and a compare page.

The store is the bundled real reports (examples/reports) ingested into a temporary SQLite file.

    PYTHONPATH=. python docs/screenshots.py      # writes docs/serve-check.png and docs/serve-compare.png
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from gongkai import parse
from gongkai.serve import create_app
from gongkai.store import ingest
from tests.browser import chromium, served

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "004_9bf3dd1d6b9a4ab2.txt"
CELL = "requests.new.natural"


def broken_seed() -> bytes:
    "Seed 004 with 自然人 本年新收 raised by 5, so the row total and the balance no longer hold."
    report = parse(SEED)
    p = report.provenance[CELL]
    return (report.text[:p.start] + str(report.cells[CELL] + 5) + report.text[p.end:]).encode("utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/docs.db"
        ingest([ROOT / "examples" / "reports"], url)
        with served(create_app(url)) as base, chromium() as browser:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(base + "/")
            page.set_input_files("#file", {"name": "金东区2022年报（改动一处）.txt", "mimeType": "text/plain",
                                           "buffer": broken_seed()})
            page.click("#submit")
            page.wait_for_selector("table.requests")
            page.click(f'table.requests td[data-cell="{CELL}"]')
            page.wait_for_timeout(600)  # the smooth scroll of the source text to the clicked value
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(ROOT / "docs" / "serve-check.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": 1440, "height": 1500})
            page.goto(base + "/compare?year=2019")
            page.wait_for_selector('div[data-chart="distribution"][data-ready="1"] canvas')
            page.wait_for_timeout(1200)  # ECharts' entry animation
            page.screenshot(path=str(ROOT / "docs" / "serve-compare.png"), full_page=True)
    print("docs/serve-check.png docs/serve-compare.png")


if __name__ == "__main__":
    main()
