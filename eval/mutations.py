"""Mutation benchmark for `gongkai check`: mistype one cell of a seed, re-read it, and see whether check catches it.

For every seed and every cell (printed or blank): +1, -1 and a transposition of two adjacent digits. The new
value is written into the seed's own text at the cell's provenance span (a blank cell's place is found by
probing the blank marks of its table), the text is read and parsed again, and `check` runs on the result.

    caught  a new error or warning finding appears (compared with the unmutated seed's findings)
    named   the new findings' suspects are exactly the mutated cell

Prints the shares overall and for cells in an equality identity (targets: 100% caught, >= 90% named), and
lists the kinds left uncaught. `--direct` mutates the gold cells with Report.with_cell instead (no text,
no parser): the check's logic alone. Prints numbers, asserts nothing.

    python eval/mutations.py [--direct] [--seed 004] [--verbose]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkai.check import check  # noqa: E402
from gongkai.findings import Severity  # noqa: E402
from gongkai.formats.schema import load  # noqa: E402
from gongkai.model import Report  # noqa: E402

SHARED = ROOT.parent / "shared"
BLANK_MARKS = re.compile(r"\u00a0|\u3000|(?<=\|)\s*(?=\|)")  # NBSP / ideographic space, or an empty pipe cell


@dataclass(frozen=True, slots=True)
class Mutation:
    seed: str
    cell: str
    kind: str  # "+1" | "-1" | "swap"
    before: int | float | None
    after: int | float


def transpose(value: int | float | None) -> int | float | None:
    "Swap the first two adjacent digits that differ (1316 → 3116); None when no swap changes the number."
    if value is None:
        return None
    s = str(value)
    for i in range(len(s) - 1):
        if s[i].isdigit() and s[i + 1].isdigit() and s[i] != s[i + 1]:
            t = s[:i] + s[i + 1] + s[i] + s[i + 2:]
            return float(t) if "." in t else int(t)
    return None


def mutations(seed: str, cells: dict) -> list[Mutation]:
    out = []
    for cell, v in cells.items():
        base = v or 0
        for kind, new in (("+1", base + 1), ("-1", base - 1), ("swap", transpose(v))):
            if new is not None and new != v:
                out.append(Mutation(seed, cell, kind, v, round(new, 6) if isinstance(new, float) else new))
    return out


def printed(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Seed:
    "One seed: its text, parsed report, baseline findings, and where each cell (printed or blank) stands."

    def __init__(self, path: Path):
        from gongkai.parse import parse
        from gongkai.read import read
        self.read, self.parse = read, parse
        self.name = path.stem[:3]
        self.doc = read(path)
        self.report = parse(self.doc)
        self.baseline = {_key(f) for f in check(self.report)}
        self.places: dict[str, tuple[int, int]] = {}
        for c, p in self.report.provenance.items():
            if self.report.text[p.start:p.end].replace(",", "") == printed(self.report.cells[c]) or \
                    _num(self.report.text[p.start:p.end]) == self.report.cells[c]:
                self.places[c] = (p.start, p.end)
        self._probe_blanks()

    def reparse(self, text: str) -> Report:
        return self.parse(self.read(text.encode("utf-8"), self.doc.source))

    def _probe_blanks(self) -> None:
        "Find each blank cell's place: write a probe into each blank mark and see which cell reads it."
        blanks = {c for c, v in self.report.cells.items() if v is None}
        text = self.report.text
        for m in BLANK_MARKS.finditer(text):
            if not blanks:
                break
            probe = _into_blank(m.group(), "7")
            r = self.reparse(text[:m.start()] + probe + text[m.end():])
            changed = [c for c in blanks if r.cells.get(c) == 7]
            others = [c for c, v in r.cells.items() if c not in changed and v != self.report.cells.get(c)]
            if len(changed) == 1 and not others:
                self.places[changed[0]] = (m.start(), m.end())
                blanks.discard(changed[0])

    def mutate(self, m: Mutation) -> tuple[Report, bool]:
        "The re-read report with the mutation written into the text; False if it had to be set directly."
        place = self.places.get(m.cell)
        if place is None:
            return self.report.with_cell(m.cell, m.after), False
        a, b = place
        new = printed(m.after)
        if m.before is None:
            new = _into_blank(self.report.text[a:b], new)
        return self.reparse(self.report.text[:a] + new + self.report.text[b:]), True


def _into_blank(mark: str, value: str) -> str:
    "A value written where a blank mark stood, in the seed's own shape."
    if not mark.strip(" "):  # an empty pipe cell: "| |" → "| 7 |"
        return f" {value} "
    # one NBSP of a run "\xa0 \xa0 \xa0" (seed 002: numbers stand on lines of their own, blanks share one)
    return f"\n{value}\n"


def _num(s: str):
    try:
        return float(s.replace(",", "")) if "." in s else int(s.replace(",", ""))
    except ValueError:
        return None


# Filling a blank only changes the wording of the blank-cells warning: that is not catching the mistype.
NOT_A_CATCH = {"check.cell.blank"}


def _key(f) -> tuple:
    return (f.code, f.cells, f.message)


def identity_cells(version: str) -> tuple[set[str], set[str]]:
    "Cells in an equality identity, and cells only in an inequality (本年新公开 ≤ 对外公开总数)."
    spec = load(version)
    eq = {c for r in spec.rules if r.op == "eq" for c in r.cells}
    le = {c for r in spec.rules if r.op != "eq" for c in r.cells} - eq
    return eq, le


def kind_of(cell: str) -> str:
    "A mutation's kind for the uncaught list: the cell id with its column or row generalised."
    parts = cell.split(".")
    return ".".join(parts[:2] + ["*"]) if len(parts) == 3 else cell


def run(direct: bool, only: str | None, verbose: bool) -> dict:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    stats = defaultdict(Counter)
    uncaught = Counter()
    misnamed = Counter()
    t0 = time.time()
    for path in seeds:
        n = path.stem[:3]
        if only and n != only:
            continue
        gold = json.loads((SHARED / "spec" / "gold" / (path.stem + ".json")).read_text("utf-8"))
        if direct:
            seed_report = Report.from_dict(gold)
            baseline = {_key(f) for f in check(seed_report)}
            seed = None
        else:
            seed = Seed(path)
            seed_report, baseline = seed.report, seed.baseline
        eq, le = identity_cells(seed_report.format)
        for m in mutations(n, seed_report.cells):
            if seed is None:
                report, in_text = seed_report.with_cell(m.cell, m.after), False
            else:
                report, in_text = seed.mutate(m)
            new = [f for f in check(report) if _key(f) not in baseline and f.severity != Severity.INFO
                   and f.code not in NOT_A_CATCH]
            caught = bool(new)
            suspects = {f.suspect for f in new if f.suspect}
            named = suspects == {m.cell}
            reread = report.cells.get(m.cell) == m.after
            group = "identity" if m.cell in eq else ("inequality" if m.cell in le else "other")
            for g in ("all", group, f"seed {n}"):
                s = stats[g]
                s["n"] += 1
                s["caught"] += caught
                s["named"] += named
                s["in_text"] += in_text
                s["reread"] += reread
            if not caught:
                uncaught[(group, kind_of(m.cell), m.kind if m.before is not None else m.kind + " (blank)")] += 1
            elif not named:
                misnamed[(group, kind_of(m.cell), m.kind, "none" if not suspects else "other")] += 1
            if verbose and (not caught or not named):
                print(f"  {n} {m.cell} {m.before}→{m.after} ({m.kind}) caught={caught} suspects={sorted(suspects)} "
                      f"reread={reread} codes={[f.code for f in new]}")
    return {"stats": stats, "uncaught": uncaught, "misnamed": misnamed, "seconds": time.time() - t0}


def pct(a: int, b: int) -> str:
    return f"{a}/{b} = {100 * a / b:.1f}%" if b else "0/0"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--direct", action="store_true", help="mutate gold cells directly (no text, no parser)")
    ap.add_argument("--seed", help="only this seed (000 … 004)")
    ap.add_argument("--verbose", action="store_true", help="print every uncaught or misnamed mutation")
    args = ap.parse_args()
    res = run(args.direct, args.seed, args.verbose)
    print(f"mutation benchmark ({'gold cells, direct' if args.direct else 'seed text, re-read and re-parsed'}), "
          f"{res['stats']['all']['n']} mutations in {res['seconds']:.1f}s")
    for g in ["all", "identity", "inequality", "other"] + sorted(k for k in res["stats"] if k.startswith("seed")):
        s = res["stats"].get(g)
        if not s:
            continue
        extra = "" if args.direct else f" · written into text {pct(s['in_text'], s['n'])} · re-read as written {pct(s['reread'], s['n'])}"
        print(f"{g:>11}: caught {pct(s['caught'], s['n'])} · named exactly {pct(s['named'], s['n'])}{extra}")
    if res["uncaught"]:
        print("uncaught kinds (group, cells, mutation): count")
        for k, v in sorted(res["uncaught"].items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {k[0]:<10} {k[1]:<40} {k[2]:<12} {v}")
    if res["misnamed"]:
        print("caught but not named exactly (group, cells, mutation, suspect given): count")
        for k, v in sorted(res["misnamed"].items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {k[0]:<10} {k[1]:<40} {k[2]:<6} {k[3]:<6} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
