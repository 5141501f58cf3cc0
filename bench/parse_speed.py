"""Reports per second per core for in-process parsing of text reports (prints figures, asserts nothing).

    python bench/parse_speed.py [FOLDER ...] [--seconds 3] [--runs 3] [--profile]

By default it parses the five seeds and the bundled samples' text files over and over on one core, and
prints the median of several runs (a shared machine is noisy). --profile adds where the time goes: the
gongkai functions with the largest share of cumulative parse time.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from pathlib import Path

from gongkai.parse import parse
from gongkai.read import UnreadableError, read

HERE = Path(__file__).resolve().parent
DEFAULT = [HERE.parent.parent / "shared" / "seeds", HERE.parent.parent / "shared" / "samples"]


def _rate(work, seconds: float) -> float:
    "Reports per second of `work()` (which parses every report once) over about `seconds`."
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        n += work()
    return n / (time.perf_counter() - t0)


def _median(work, seconds: float, runs: int) -> tuple[float, float, float]:
    rates = sorted(_rate(work, seconds / runs) for _ in range(runs))
    return statistics.median(rates), rates[0], rates[-1]


def where_the_time_goes(docs, top: int = 15) -> None:
    "The gongkai functions by share of cumulative parse time (cProfile inflates call-heavy code)."
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(10):
        for doc in docs:
            parse(doc)
    prof.disable()
    stats = pstats.Stats(prof).stats  # (file, line, name) → (calls, primitive calls, tottime, cumtime, callers)
    total = max(cum for (_, _, _, cum, _) in stats.values())
    rows = sorted(((cum, tot, calls, f"{Path(file).parent.name}/{Path(file).name}:{name}")
                   for (file, _, name), (_, calls, tot, cum, _) in stats.items() if "gongkai" in file), reverse=True)
    print("\nwhere the time goes (share of parse time, cumulative / own):")
    for cum, tot, calls, where in rows[:top]:
        print(f"  {cum / total:6.1%} {tot / total:6.1%} {calls / 10 / len(docs):8.1f} calls/report  {where}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--seconds", type=float, default=6.0, help="time per measurement, split over the runs")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="print where the time goes")
    args = ap.parse_args()
    files = [(p.name, p.read_bytes()) for d in args.folders for p in sorted(d.glob("*.txt"))]
    if not files:
        raise SystemExit(f"no *.txt reports in {', '.join(map(str, args.folders))}")
    docs = [read(data, name) for name, data in files]
    parse(docs[0])  # warm caches (format files, opencc, division table)
    total_bytes = sum(len(d) for _, d in files)
    print(f"{len(files)} text reports, mean {total_bytes / len(files) / 1024:.1f} KiB; median of {args.runs} runs")

    def read_and_parse() -> int:
        for name, data in files:
            try:
                parse(read(data, name))
            except UnreadableError:
                pass
        return len(files)

    def parse_only() -> int:
        for doc in docs:
            parse(doc)
        return len(docs)

    both, lo, hi = _median(read_and_parse, args.seconds, args.runs)
    print(f"read+parse: {both:,.0f} reports/s on one core (runs {lo:,.0f}–{hi:,.0f})")
    only, lo, hi = _median(parse_only, args.seconds, args.runs)
    print(f"parse only: {only:,.0f} reports/s on one core (runs {lo:,.0f}–{hi:,.0f})")
    print(f"a national year (100,000 reports) on one core: {100_000 / both / 60:.1f} min")
    if args.profile:
        where_the_time_goes(docs)


if __name__ == "__main__":
    main()
