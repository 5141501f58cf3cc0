"""Random valid reports: every identity of the format holds by construction (for round-trip tests and benchmarks)."""
from __future__ import annotations

import random

from gongkai.formats import schema

PLACES = ["北京市东城区", "上海市浦东新区", "杭州市西湖区", "成都市武侯区", "武汉市江汉区", "深圳市南山区", "苏州市吴中区",
          "郎溪县", "郑州市金水区", "大理市", "呼和浩特市", "青岛市崂山区", "厦门市思明区", "兰州市城关区", "佛山市"]
BODIES = ["人民政府", "人民政府办公室", "教育局", "卫生健康委员会", "自然资源和规划局", "市场监督管理局",
          "住房和城乡建设局", "生态环境局", "发展和改革委员会", "财政局", "公安局", "民政局", "交通运输局"]


def _count(rng: random.Random, big: int = 60) -> int:
    "Mostly zero, sometimes a few, now and then many: how request counts are spread in real reports."
    roll = rng.random()
    return 0 if roll < 0.55 else rng.randint(1, 9) if roll < 0.9 else rng.randint(10, big)


def _requests(spec: schema.FormatSpec, rng: random.Random) -> dict:
    "Per column: results drawn, carried over/forward drawn, 本年新收 solved so 一 + 二 = 三（七） + 四 holds."
    table = spec.table("requests")
    rows = [r for r in table.rows if r.cells]
    kinds = [c.rsplit(".", 1)[1] for c in rows[0].cells[:-1]]
    row_of = {r.cells[0].rsplit(".", 1)[0].split(".", 1)[1]: r for r in rows}
    results = [k for k in row_of if k not in ("new", "carried_over", "total", "carried_forward")]
    cells: dict = {}
    for kind in kinds:
        col = {k: _count(rng) for k in results}
        total = sum(col.values())
        forward = _count(rng, 10) if rng.random() < 0.3 else 0
        carried = min(_count(rng, 10) if rng.random() < 0.3 else 0, total + forward)
        col.update(total=total, carried_forward=forward, carried_over=carried, new=total + forward - carried)
        for k, v in col.items():
            cells[f"requests.{k}.{kind}"] = v
    for k in row_of:
        cells[f"requests.{k}.total"] = sum(cells[f"requests.{k}.{kind}"] for kind in kinds)
    return cells


def _appeals(spec: schema.FormatSpec, rng: random.Random) -> dict:
    cells = {}
    for cid in spec.table("appeals").cells:
        group, part = cid.split(".")[1:]
        if part != "total":
            cells[cid] = _count(rng, 12)
    for group in {c.split(".")[1] for c in cells}:
        cells[f"appeals.{group}.total"] = sum(v for k, v in cells.items() if k.split(".")[1] == group)
    return cells


def _active(spec: schema.FormatSpec, rng: random.Random) -> dict:
    cells = {}
    for cid in spec.table("active").cells:
        item, what = cid.split(".")[1:]
        if what == "change":
            cells[cid] = rng.randint(-30, 30)
        elif what == "amount":
            cells[cid] = round(rng.uniform(0, 5000), rng.choice([0, 1, 2])) if rng.random() < 0.7 else rng.randint(0, 99)
            cells[cid] = int(cells[cid]) if float(cells[cid]).is_integer() else cells[cid]
        else:
            cells[cid] = _count(rng, 40000)
    for item in ("regulation", "normative"):  # 本年新公开数量 ≤ 对外公开总数量 (2019)
        p, t = f"active.{item}.published", f"active.{item}.total"
        if p in cells and cells[p] > cells[t]:
            cells[p], cells[t] = cells[t], cells[p]
    return cells


def _blank(cells: dict, rng: random.Random) -> dict:
    "Some reports print a zero as an empty cell (seed 002); blanks count as 0, so every identity still holds."
    share = rng.choice([0.5, 0.9, 1.0])
    return {k: (None if v == 0 and rng.random() < share else v) for k, v in cells.items()}


def random_report(rng: random.Random, version: str | None = None, *, blanks: bool | None = None) -> dict:
    "One valid report in the JSON shape of `gongkai parse --json` (meta + cells)."
    version = version or rng.choice(["2019", "2021"])
    spec = schema.load(version)
    cells = {**_active(spec, rng), **_requests(spec, rng), **_appeals(spec, rng)}
    if blanks if blanks is not None else rng.random() < 0.25:
        cells = _blank(cells, rng)
    year = rng.randint(spec.years[0], min(spec.years[1], 2024))
    place = rng.choice(PLACES)
    meta = {"year": year, "format": version, "agency": place + rng.choice(BODIES), "script": "simplified"}
    if rng.random() < 0.5:
        meta["published"] = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
    return {"meta": meta, "cells": {c: cells[c] for c in spec.cells if c in cells}}


def holds(report: dict) -> list[str]:
    "The identities of the report's format that fail (empty for a valid report)."
    spec = schema.load(report["meta"]["format"])
    return [r.code for r in spec.rules if not r.holds(report["cells"])]
