"""Ingest benchmark: 10,000 reports made from the seeds, into SQLite and PostgreSQL; reports/s, rerun time, peak RSS.

Each file is a seed with every cell multiplied by the same factor k, written back at the cell's provenance span,
so every sum identity still holds and each file keeps its seed's own shape. Prints numbers, asserts nothing.

Besides the rate it prints CPU milliseconds per report of the parent process (walking, hashing, the single
writer), of the workers (read, parse, check), and of the PostgreSQL server: on a machine shared with other work
the rate drifts with the load, these much less. PostgreSQL runs in a schema of its own (bench_ingest).

    PYTHONPATH=. python bench/ingest_speed.py [--n 10000] [--jobs 2] [--pg postgresql+psycopg://…]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"  # ../shared beside the checkout
PER_DIR = 500  # files per sub-folder, as a province's download tree would have
PG_SCHEMA = "bench_ingest"


def _printed(value: int | float, decimals: int) -> str:
    return f"{value:.{decimals}f}" if decimals else str(int(value))


def vary(text: str, report, k: int, donor=None) -> str:  # type: ignore[no-untyped-def]
    """The seed text with each printed cell set to k·v + (k-1)·w (w: a donor report of the same format, or 0),
    written at the cell's provenance span, last span first. Sums of cells stay sums: identities hold."""
    spans = []
    for c, p in report.provenance.items():
        v = report.cells.get(c)
        if v is None:
            continue
        printed = text[p.start:p.end]
        decimals = len(printed.partition(".")[2])
        if _printed(v, decimals) != printed:
            raise ValueError(f"span {p.start}:{p.end} prints {printed!r}, not {v}")
        w = (donor.cells.get(c) or 0) if donor is not None else 0
        spans.append((p.start, p.end, _printed(round(k * v + (k - 1) * w, decimals), decimals)))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _donor(report, others):  # type: ignore[no-untyped-def]
    "Another seed of the same format whose non-zero cells this seed prints, so k·v + (k-1)·w fits its shape."
    for other in others:
        if other is not report and other.format == report.format and all(
                not v or c in report.provenance for c, v in other.cells.items()):
            return other
    return None


@cache
def seed_reports() -> list[tuple[str, str, object, object]]:
    "(stem, text, report, donor) of each seed that can be varied (every value printed as plain digits)."
    from gongkai import parse

    parsed = [(path.stem, parse(path)) for path in sorted(SEEDS.glob("*.txt"))]
    out = []
    for stem, report in parsed:
        donor = _donor(report, [r for _, r in parsed])
        try:
            vary(report.text, report, 2, donor)
        except ValueError:
            continue
        out.append((stem, report.text, report, donor))
    return out


def make_corpus(out: Path, n: int, first_k: int = 2) -> list[Path]:
    "n varied reports under out/NNN/, cycling through the seeds with k = first_k, first_k + 1, …"
    seeds = seed_reports()
    paths = []
    for i in range(n):
        stem, text, report, donor = seeds[i % len(seeds)]
        k = first_k + i // len(seeds)
        path = out / f"{i // PER_DIR:03d}" / f"{i:05d}_k{k}_{stem}.txt"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(vary(text, report, k, donor), encoding="utf-8")
        paths.append(path)
    return paths


def cached_reader(data: bytes, name: str):  # type: ignore[no-untyped-def]
    "A stand-in parser (the seed's report scaled by the k in the file name) to measure the store alone."
    from gongkai.model import Report

    stem = Path(name).stem
    k = int(stem.split("_")[1][1:])
    seed, donor = next((r, d) for s, _, r, d in seed_reports() if stem.endswith(s))
    w = donor.cells if donor is not None else {}
    cells = {c: None if v is None else k * v + (k - 1) * (w.get(c) or 0) for c, v in seed.cells.items()}
    return Report(seed.meta, cells, seed.provenance, seed.findings)


def _phase(args: list[str]) -> dict:
    "Run one ingest in a fresh process; its peak RSS and its workers' are measured there."
    out = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    if out.returncode:
        sys.exit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def phase(folder: str, url: str, jobs: int, reader: str) -> None:
    from gongkai.store import ingest
    from gongkai.store.work import DEFAULT_READER

    server = _server_cpu() if not url.startswith("sqlite") else 0.0
    start, cpu = time.perf_counter(), time.process_time()
    summary = ingest([folder], url, jobs=jobs, progress=False, reader=reader or DEFAULT_READER)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    server = _server_cpu() - server if not url.startswith("sqlite") else 0.0
    rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds, "read": summary.read, "new": summary.new, "unchanged": summary.unchanged,
                      "failed": len(summary.failed), "peak_rss_mb": rss / 1024, "parent_cpu": cpu,
                      "workers_cpu": children.ru_utime + children.ru_stime, "server_cpu": server}))


def _server_cpu() -> float:
    "CPU seconds used so far by the local PostgreSQL server's processes (0 where /proc does not show them)."
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc") if os.path.isdir("/proc") else []):
        try:
            if not Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"postgres"):
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _reset(url: str, drop: bool = False) -> str:
    """An empty store at the URL; PostgreSQL gets a schema of its own, so nothing else in that database is touched
    (`drop`: only remove that schema)."""
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return url
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        if not drop:
            conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    engine.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{PG_SCHEMA}"


def _per_report(run: dict, key: str) -> str:
    return f"{run[key] / run['read'] * 1000:.2f}" if run["read"] else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--pg", default=os.environ.get("GONGKAI_TEST_PG"))
    ap.add_argument("--corpus", default=str(Path(tempfile.gettempdir()) / "gongkai-bench-corpus"))
    ap.add_argument("--store-only", action="store_true", help="also time the store with a cached stand-in parser")
    ap.add_argument("--phase", nargs=4, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        folder, url, jobs, reader = a.phase
        return phase(folder, url, int(jobs), "" if reader == "-" else reader)

    corpus = Path(a.corpus) / str(a.n)
    t = time.perf_counter()
    make_corpus(corpus, a.n)
    print(f"corpus: {a.n} reports from {len(seed_reports())} seeds in {corpus} ({time.perf_counter() - t:.1f} s)")
    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    targets = [("SQLite", f"sqlite:///{work}/bench.db")] + ([("PostgreSQL", a.pg)] if a.pg else [])
    readers = [("parser", "-")] + ([("store only", "bench.ingest_speed:cached_reader")] if a.store_only else [])
    for name, url in targets:
        for label, reader in readers:
            store = _reset(url)
            first = _phase([str(corpus), store, str(a.jobs), reader])
            again = _phase([str(corpus), store, str(a.jobs), reader])
            rate = first["read"] / first["seconds"]
            server = f", server {_per_report(first, 'server_cpu')}" if name == "PostgreSQL" else ""
            print(f"{name:10} {label:10} --jobs {a.jobs}: {first['new']} new in {first['seconds']:.1f} s = "
                  f"{rate:,.0f} reports/s, peak RSS {first['peak_rss_mb']:.0f} MB; rerun unchanged "
                  f"{again['unchanged']} in {again['seconds']:.2f} s (peak RSS {again['peak_rss_mb']:.0f} MB);"
                  f" failed {first['failed']}\n{'':21} CPU ms/report: parent {_per_report(first, 'parent_cpu')}, "
                  f"workers {_per_report(first, 'workers_cpu')}{server}")
            if name == "PostgreSQL":
                _reset(url, drop=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
