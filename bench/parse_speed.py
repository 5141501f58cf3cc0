"""Reports per second per core for in-process parsing of text reports (prints figures, asserts nothing).

    python bench/parse_speed.py [FOLDER ...] [--seconds 5] [--profile]

By default it parses the five seeds and the bundled samples' text files over and over on one core.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from gongkai.parse import parse
from gongkai.read import UnreadableError, read

HERE = Path(__file__).resolve().parent
DEFAULT = [HERE.parent.parent / "shared" / "seeds", HERE.parent.parent / "shared" / "samples"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--profile", action="store_true", help="print where the time goes")
    args = ap.parse_args()
    files = [(p.name, p.read_bytes()) for d in args.folders for p in sorted(d.glob("*.txt"))]
    docs = [read(data, name) for name, data in files]
    parse(docs[0])  # warm caches (format files, opencc, division table)
    total_bytes = sum(len(d) for _, d in files)
    print(f"{len(files)} text reports, mean {total_bytes / len(files) / 1024:.1f} KiB")

    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < args.seconds:
        for (name, data) in files:
            try:
                parse(read(data, name))
            except UnreadableError:
                pass
            n += 1
    read_parse = n / (time.perf_counter() - t0)

    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < args.seconds:
        for doc in docs:
            parse(doc)
            n += 1
    parse_only = n / (time.perf_counter() - t0)
    print(f"read+parse: {read_parse:,.0f} reports/s on one core")
    print(f"parse only: {parse_only:,.0f} reports/s on one core")
    print(f"a national year (100,000 reports) on one core: {100_000 / read_parse / 60:.1f} min")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(20):
            for doc in docs:
                parse(doc)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(18)


if __name__ == "__main__":
    main()
