"""Round trip at scale: N random valid reports (and the seed golds) × every output type and damaged shape.

    python eval/roundtrip.py [-n 1000] [--jobs 8] [--examples 3]

Prints, per type/shape, how many came back exact, abstained (cells left out with a finding), wrong or crashed,
and a few minimal failing examples (seed, cell, expected, got). Asserts nothing: a failure is a reader bug.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.render.roundtrip import KINDS, roundtrip  # noqa: E402
from gongkai.render.samples import random_report  # noqa: E402

GOLD = Path(__file__).resolve().parents[2] / "shared" / "spec" / "gold"


def _one(task: tuple[str, dict, int]) -> list[tuple[str, str, str, str]]:
    label, report, seed = task
    out = []
    for kind in KINDS:
        o = roundtrip(report, kind, seed)
        detail = ""
        if o.status == "error":
            detail = o.error.splitlines()[0]
        elif o.wrong:
            detail = "; ".join(f"{c}: 应为 {w!r} 读到 {g!r}" for c, w, g in o.wrong[:3])
        elif o.missing:
            detail = f"缺 {len(o.missing)} 格（{o.missing[0]} …），发现：{','.join(sorted(set(o.findings)))}"
        out.append((kind, o.status, label, detail))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description="渲染→解析往返测试：按输出类型与损坏形态统计")
    ap.add_argument("-n", type=int, default=1000, help="随机年报数量")
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--examples", type=int, default=3, help="每种形态列出的失败样例数")
    ap.add_argument("--json", type=Path, help="把全部结果写入 JSON 文件")
    args = ap.parse_args()
    tasks = [(f"gold:{p.stem[:3]}", json.loads(p.read_text("utf-8")), 0) for p in sorted(GOLD.glob("*.json"))]
    tasks += [(f"seed:{i}", random_report(random.Random(i)), i) for i in range(args.n)]
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    examples: dict[str, list] = collections.defaultdict(list)
    rows = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for result in pool.map(_one, tasks, chunksize=4):
            for kind, status, label, detail in result:
                counts[kind][status] += 1
                rows.append({"kind": kind, "status": status, "input": label, "detail": detail})
                if status != "exact" and len(examples[kind]) < args.examples:
                    examples[kind].append(f"{label} {status}: {detail}")
    statuses = ("exact", "abstained", "wrong", "error")
    print(f"reports: {len(tasks)} ({args.n} random + {len(tasks) - args.n} gold)")
    print(f"{'type/shape':<14}" + "".join(f"{s:>11}" for s in statuses))
    for kind in KINDS:
        print(f"{kind:<14}" + "".join(f"{counts[kind][s]:>11}" for s in statuses))
    for kind in KINDS:
        for e in examples[kind]:
            print(f"  [{kind}] {e}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
