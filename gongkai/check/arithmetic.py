"""Identities (勾稽关系): evaluate the format's rules and name the one cell most likely wrong."""
from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Callable, Mapping

from gongkai.check.labels import column_label, label, row_label, value_text, where
from gongkai.findings import Finding, catalog, finding
from gongkai.formats.schema import FormatSpec, Rule, per_object
from gongkai.model import Number, Report

# Cells that may be negative (本年增/减) or hold fractions (金额); every other cell is a whole count.
SIGNED_SUFFIX = ".change"
AMOUNT_CELLS = frozenset({"active.fee.amount", "active.procurement.amount"})

SUSPECT = "最可能有误的是 {cell}：应为 {expected}，报告为 {actual}"
SUSPECT_AT_MOST = "最可能有误的是 {cell}：应不大于 {expected}，报告为 {actual}"
SUSPECT_AT_LEAST = "最可能有误的是 {cell}：应不小于 {expected}，报告为 {actual}"
NO_SUSPECT = "仅凭勾稽关系无法确定是哪一格有误"


@dataclass(frozen=True, slots=True)
class Suspect:
    cell: str
    expected: Number  # the value that makes the failing identities hold (a bound for "le" rules)
    fixes: int


def possible(cell: str, value: Number) -> bool:
    "Whether a value can stand in a cell: counts are whole and not negative, except 本年增/减 and amounts."
    if value < 0 and not cell.endswith(SIGNED_SUFFIX):
        return False
    return cell in AMOUNT_CELLS or float(value).is_integer()


def _sides(rule: Rule, values: Mapping[str, Number | None]) -> tuple[Number, Number]:
    "Sum of the left and of the right side; a printed blank counts as 0."
    return (sum(values.get(c) or 0 for c in rule.left), sum(values.get(c) or 0 for c in rule.right))


def _target(rule: Rule, cell: str, values: Mapping[str, Number | None]) -> Number | None:
    "The value of `cell` that makes the rule hold (for 'le' the bound), or None when it cannot."
    if (cell in rule.left) == (cell in rule.right):
        return None
    left, right = _sides(rule, values)
    current = values.get(cell) or 0
    return current - (left - right) if cell in rule.left else current + (left - right)


def _clean(value: Number) -> Number:
    "Round float noise away so 1316.84 - 0.01 prints as 1316.83 and whole floats print as ints."
    value = round(value, 6)
    return int(value) if float(value).is_integer() else value


def applicable(spec: FormatSpec, report: Report) -> list[Rule]:
    "The rules whose cells were all extracted: a rule naming a cell the parser did not read is skipped."
    if report.cells.keys() >= _plan(spec).cells:  # the common case: every cell read, every rule applies
        return list(spec.rules)
    return [r for r in spec.rules if all(c in report.cells for c in r.cells)]


def _known(rule: Rule) -> bool:
    "Whether the rule's code is in the catalogue and its operation one the rules know."
    return rule.code in catalog() and rule.op in ("eq", "le")


@dataclass(frozen=True, slots=True)
class _Plan:
    "What check_rules needs of a format, worked out once: its rules sorted out, and one read of all their cells."

    cells: frozenset[str]  # every cell a rule names
    known: tuple[Rule, ...]  # rules with a known code and operation, in the format's order
    unknown: tuple[Rule, ...]  # the others, in the format's order
    # The values of every known rule's left cells, then its right cells, rule after rule: one pass in C. The ids
    # are the format's own string objects, the report's keys, so each lookup matches by identity.
    read: Callable[[Mapping[str, Number | None]], tuple[Number | None, ...]]
    sides: tuple[tuple[int, int, int], ...]  # per known rule: where its left values start, its right ones, the end


@per_object
def _plan(spec: FormatSpec) -> _Plan:
    "The plan of a format, made once."
    own = {c: c for c in spec.cells}
    known = tuple(r for r in spec.rules if _known(r))
    order, sides = [], []
    for r in known:
        start = len(order)
        order += r.left
        middle = len(order)
        order += r.right
        sides.append((start, middle, len(order)))
    return _Plan(frozenset(own.get(c, c) for r in spec.rules for c in r.cells), known,
                 tuple(r for r in spec.rules if not _known(r)), _reader(tuple(own.get(c, c) for c in order)),
                 tuple(sides))


def _reader(cells: tuple[str, ...]) -> Callable[[Mapping[str, Number | None]], tuple[Number | None, ...]]:
    "The values of the cells as a tuple (itemgetter, which gives a bare value for one cell and takes no fewer)."
    return itemgetter(*cells) if len(cells) > 1 else lambda values: tuple(values[c] for c in cells)


def suspects(rules: list[Rule], values: Mapping[str, Number | None],
             stated: Mapping[str, set[Number]] | None = None, holds: list[bool] | None = None,
             ) -> dict[int, Suspect | None]:
    """For each failing rule (by index), the cell whose change fixes the most failing rules at once.

    A candidate scores the failing rules its one new value fixes minus the holding rules it breaks; ties go
    to a value that can be (whole, not negative), then to a cell the prose restates with that value and away
    from one the prose confirms as printed, then to a cell whose printed value cannot be. A tie left after
    that names no cell (None): guessing would send the reader to the wrong place.
    """
    stated = stated or {}
    holds = holds if holds is not None else [r.holds(values) for r in rules]
    failing = {i for i, h in enumerate(holds) if not h}
    if not failing:
        return {}
    by_cell: dict[str, list[int]] = {}
    for i, r in enumerate(rules):
        for c in dict.fromkeys(r.cells):
            by_cell.setdefault(c, []).append(i)
    out: dict[int, Suspect | None] = {}
    remaining = set(failing)
    while remaining:
        scored = []
        for cell in dict.fromkeys(c for i in sorted(remaining) for c in rules[i].cells):
            current = values.get(cell)
            for i in by_cell[cell]:
                if i not in remaining:
                    continue
                v = _target(rules[i], cell, values)
                if v is None:
                    continue
                v = _clean(v)
                trial = {**values, cell: v}
                fixed = {j for j in by_cell[cell] if j in remaining and rules[j].holds(trial)}
                broken = sum(1 for j in by_cell[cell] if j not in failing and not rules[j].holds(trial))
                said = stated.get(cell, set())
                prose = (1 if v in said else 0) - (1 if (current or 0) in said else 0)
                impossible_now = current is not None and not possible(cell, current)
                key = (len(fixed) - broken, possible(cell, v), prose, impossible_now)
                scored.append((key, cell, v, fixed))
        if not scored:
            break
        top = max(s[0] for s in scored)
        best = list({(cell, v): (cell, v, fixed) for key, cell, v, fixed in scored if key == top}.values())
        if top[0] <= 0:
            break
        cells = [cell for cell, _, _ in best]
        union = set().union(*(fixed for _, _, fixed in best))
        # Several cells tie but each explains failures of its own: independent mistakes, all named.
        if len(set(cells)) == len(cells) and sum(len(f) for _, _, f in best) == len(union):
            for cell, v, fixed in best:
                for i in fixed:
                    out[i] = Suspect(cell, v, len(fixed))
        else:
            for i in union & remaining:
                out[i] = None
        remaining -= union
    for i in remaining:
        out[i] = None
    return out


def _scope(rule: Rule) -> str:
    "What the rule is about, as its message opens: a row ('第三项（七）总计'), a column ('自然人列'), a group."
    rows = {row_label(c) for c in rule.cells}
    if len(rows) == 1:
        return rows.pop()
    columns = {column_label(c) for c in rule.cells}
    if len(columns) == 1 and "" not in columns:
        return f"{columns.pop()}列"
    return row_label(rule.left[0]).split()[0] if rule.left else ""


def _verdict(rule: Rule, s: Suspect | None, values: Mapping[str, Number | None]) -> str:
    if s is None:
        return NO_SUSPECT
    template = SUSPECT
    if rule.op == "le":
        template = SUSPECT_AT_MOST if s.cell in rule.left else SUSPECT_AT_LEAST
    return template.format(cell=label(s.cell), expected=value_text(s.expected), actual=value_text(values.get(s.cell)))


def _invalid(report: Report, rule: Rule, detail: str) -> Finding:
    return finding("check.rule.invalid", rule=rule.code, detail=detail, cells=rule.cells, where=where(report, None))


def _unknown(report: Report, rule: Rule) -> Finding:
    return _invalid(report, rule, f"未登记的代码或运算 {rule.op}")


def _evaluate(report: Report, spec: FormatSpec) -> tuple[list[Finding], list[Rule], list[bool]]:
    """The rules that apply and can be evaluated, whether each holds, and a finding for each that cannot.

    The common case (every rule cell read, every value a number) is told with one read of all the rule cells;
    otherwise the rules are taken one by one, skipping those with a cell not read.
    """
    plan = _plan(spec)
    try:
        values = plan.read(report.cells)  # KeyError: a rule cell not read
        holds = [r.holds_for(values[a:m], values[m:b]) for r, (a, m, b) in zip(plan.known, plan.sides)]
    except (KeyError, TypeError, ValueError):
        return _rule_by_rule(report, spec)
    return [_unknown(report, r) for r in plan.unknown], list(plan.known), holds


def _rule_by_rule(report: Report, spec: FormatSpec) -> tuple[list[Finding], list[Rule], list[bool]]:
    out: list[Finding] = []
    rules, holds = [], []
    for r in applicable(spec, report):
        if not _known(r):
            out.append(_unknown(report, r))
            continue
        try:
            holds.append(r.holds(report.cells))
        except (TypeError, ValueError) as e:
            out.append(_invalid(report, r, str(e)))
            continue
        rules.append(r)
    return out, rules, holds


def check_rules(report: Report, spec: FormatSpec, stated: Mapping[str, set[Number]] | None = None) -> list[Finding]:
    "One finding per identity that fails in the report, each naming its numbers and, where it can, its suspect."
    out, rules, holds = _evaluate(report, spec)
    named = suspects(rules, report.cells, stated, holds)
    for i, s in sorted(named.items()):
        r = rules[i]
        left, right = _sides(r, report.cells)
        cell = s.cell if s else None
        facts = {"scope": _scope(r), "left": value_text(_clean(left)), "right": value_text(_clean(right)),
                 "verdict": _verdict(r, s, report.cells), **dict(r.bindings)}
        if s:
            facts.update(expected=value_text(s.expected), actual=value_text(report.cells.get(s.cell)))
        out.append(finding(r.code, cells=r.cells, suspect=cell, where=where(report, cell or r.right[0]), **facts))
    return out
