"""Render → read → parse, and compare: the one runner of the round-trip tests and eval/roundtrip.py."""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from gongkai.formats import schema
from gongkai.render.damage import SHAPES, damage
from gongkai.render.write import TYPES, render_bytes

KINDS = TYPES + SHAPES  # every output type, then every damaged shape
META = ("year", "format", "agency")
SUFFIX = {"word-html": "html", "pdf-markdown": "md"}


@dataclass
class Outcome:
    kind: str
    status: str  # exact | abstained (cells left out, with a finding) | wrong | error
    wrong: list[tuple[str, object, object]] = field(default_factory=list)  # (cell or meta key, expected, got)
    missing: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    error: str = ""


def produce(report: dict, kind: str, seed: int = 0) -> tuple[bytes, str]:
    "The bytes of one output type or damaged shape, and a file name with the suffix a reader would see."
    if kind in TYPES:
        return render_bytes(report, kind), f"report.{kind}"
    out = damage(report, kind, seed)
    return (out if isinstance(out, bytes) else out.encode("utf-8")), f"report.{SUFFIX.get(kind, 'txt')}"


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


def compare(expected: dict, got: dict, kind: str = "") -> Outcome:
    "Cells of the expected format and meta year/format/agency (script too for traditional) against a parse."
    spec = schema.load(expected["meta"]["format"])
    wrong, missing = [], []
    for cid in spec.cells:
        if cid not in expected["cells"]:
            continue
        want = expected["cells"][cid]
        if cid not in got["cells"]:
            missing.append(cid)
        elif not _same(want, got["cells"][cid]):
            wrong.append((cid, want, got["cells"][cid]))
    keys = META + (("script",) if kind == "traditional" else ())
    want_meta = {**expected["meta"], "script": "traditional"} if kind == "traditional" else expected["meta"]
    for k in keys:
        if k in want_meta and str(want_meta[k]) != str(got["meta"].get(k)):
            wrong.append((f"meta.{k}", want_meta[k], got["meta"].get(k)))
    codes = [f["code"] for f in got.get("findings", ())]
    status = "wrong" if wrong else "abstained" if missing and codes else "wrong" if missing else "exact"
    return Outcome(kind, status, wrong, missing, codes)


def parse_bytes(data: bytes, name: str) -> dict:
    "Read and parse rendered bytes as a published file would be, into the JSON shape of `gongkai parse --json`."
    from gongkai.parse import parse
    from gongkai.read import read
    return parse(read(data, name=name)).to_dict()


def roundtrip(report: dict, kind: str, seed: int = 0) -> Outcome:
    "Render one report as one type/shape, parse it back, and say how exactly it came back."
    data, name = produce(report, kind, seed)
    try:
        got = parse_bytes(data, name)
    except Exception as e:  # a reader crash is an outcome to report, not a reason to stop a batch
        return Outcome(kind, "error", error=f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=-3)}")
    return compare(report, got, kind)
