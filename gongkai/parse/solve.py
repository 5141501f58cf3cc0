"""Fit each row's tokens to its cells; split digit runs by solving the table identities together, never guessing."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from gongkai.formats.schema import Rule
from gongkai.parse.values import Token, number

MAX_OPTIONS = 20_000  # splits kept per row; beyond this the row is left unread rather than searched forever
MAX_SOLUTIONS = 64
MAX_NODES = 300_000


@dataclass(frozen=True, slots=True)
class Value:
    value: int | float | None
    start: int
    end: int
    how: str = "read"  # read | split


@dataclass
class RowRead:
    label: str
    cells: tuple[str, ...]
    tokens: list[Token]
    options: list[tuple[Value, ...]] = field(default_factory=list)
    keep: int = 0  # how many leading cells are reported (a trailing 历年累计 column is read, then dropped)

    @property
    def digits(self) -> str:
        return " ".join(t.text for t in self.tokens if t.kind == "num")


def _splits(text: str, parts: int):
    "Ways to cut a digit run into `parts` numbers with no leading zeros (\"00\" is two zeros, never one)."
    if parts == 1:
        if len(text) == 1 or text[0] != "0":
            yield (text,)
        return
    for i in range(1, len(text) - parts + 2):
        head = text[:i]
        if len(head) > 1 and head[0] == "0":
            break
        for rest in _splits(text[i:], parts - 1):
            yield (head,) + rest


def options(tokens: list[Token], n: int) -> list[tuple[Value, ...]]:
    "Every reading of the tokens as exactly n cells: as printed, or with digit runs split."
    toks = list(tokens)
    while len(toks) > n and toks[-1].kind == "blank":
        toks.pop()
    while len(toks) > n and toks[0].kind == "blank":
        toks.pop(0)
    # "00" or "0123" is never one printed number: such a run must be cut.
    must_cut = {i for i, t in enumerate(toks) if t.splittable and t.text[0] == "0"}
    if len(toks) == n and not must_cut:
        return [tuple(Value(t.value, t.start, t.end) for t in toks)]
    if len(toks) >= n or not any(t.splittable for t in toks):
        return []
    need = n - len(toks)
    runs = [i for i, t in enumerate(toks) if t.splittable]
    out: list[tuple[Value, ...]] = []
    for extra in itertools.product(*(range(len(toks[i].text)) for i in runs)):
        if sum(extra) != need or any(e == 0 for i, e in zip(runs, extra) if i in must_cut):
            continue
        per = dict(zip(runs, extra))
        choices = []
        for i, t in enumerate(toks):
            if i not in per or per[i] == 0:
                choices.append([(Value(t.value, t.start, t.end),)])
                continue
            cuts = []
            for parts in _splits(t.text, per[i] + 1):
                pos, vals = t.start, []
                for p in parts:
                    vals.append(Value(number(p), pos, pos + len(p), "split"))
                    pos += len(p)
                cuts.append(tuple(vals))
            choices.append(cuts)
        for combo in itertools.product(*choices):
            out.append(tuple(v for group in combo for v in group))
            if len(out) > MAX_OPTIONS:
                return []
    return out


@dataclass
class Solution:
    values: dict[str, Value]  # decided cells
    ambiguous: list[tuple[RowRead, int]]  # rows with cells left out, and how many readings fit
    unsolved: list[RowRead]  # rows no reading fits


def _check(rules: list[Rule], assigned: dict[str, int | float | None]) -> bool:
    return all(r.holds(assigned) for r in rules)


def solve(rows: list[RowRead], rules: tuple[Rule, ...], hints: dict[str, int | float] | None = None) -> Solution:
    """Decide each row's reading. Rows with one reading are taken as printed; rows with several are solved
    together against the identities (and the report's own prose figures as a tie-break); cells on which
    the remaining solutions disagree are left out."""
    hints = hints or {}
    decided: dict[str, Value] = {}
    open_rows = [r for r in rows if len(r.options) > 1]
    for r in rows:
        if len(r.options) == 1:
            decided.update(zip(r.cells, r.options[0]))
    unsolved = [r for r in rows if not r.options]
    if not open_rows:
        return Solution(decided, [], unsolved)

    known = {c: v.value for c, v in decided.items()}
    open_cells = {c for r in open_rows for c in r.cells}
    usable = [rule for rule in rules if any(c in open_cells for c in rule.cells)
              and all(c in known or c in open_cells for c in rule.cells)]
    open_rows.sort(key=lambda r: len(r.options))
    # A rule is checked as soon as the last open row it depends on has been chosen.
    last_row = {}
    for rule in usable:
        last_row[rule] = max(i for i, r in enumerate(open_rows) if set(r.cells) & set(rule.cells))
    checks = [[rule for rule in usable if last_row[rule] == i] for i in range(len(open_rows))]

    solutions: list[tuple[int, ...]] = []
    nodes = 0
    assigned = dict(known)
    choice: list[int] = []

    def walk(i: int) -> bool:
        nonlocal nodes
        if i == len(open_rows):
            solutions.append(tuple(choice))
            return len(solutions) < MAX_SOLUTIONS
        row = open_rows[i]
        for k, opt in enumerate(row.options):
            nodes += 1
            if nodes > MAX_NODES:
                return False
            for c, v in zip(row.cells, opt):
                assigned[c] = v.value
            if _check(checks[i], assigned):
                choice.append(k)
                go_on = walk(i + 1)
                choice.pop()
                if not go_on:
                    return False
        return True

    complete = walk(0)
    if not solutions:  # the identities fail whatever the split: fall back to each row's own rules
        return _rowwise(open_rows, rules, known, decided, unsolved)
    preferred = [s for s in solutions if _agrees(open_rows, s, hints)]
    if preferred:
        solutions = preferred
    ambiguous = []
    for i, row in enumerate(open_rows):
        readings = {s[i] for s in solutions}
        if len(readings) == 1 and complete:
            decided.update(zip(row.cells, row.options[readings.pop()]))
            continue
        values = [row.options[k] for k in readings]
        for j, c in enumerate(row.cells):
            if complete and len({v[j].value for v in values}) == 1:
                decided[c] = values[0][j]
        ambiguous.append((row, len(readings) if complete else -1))
    return Solution(decided, ambiguous, unsolved)


def _agrees(rows: list[RowRead], solution: tuple[int, ...], hints: dict) -> bool:
    for row, k in zip(rows, solution):
        for c, v in zip(row.cells, row.options[k]):
            if c in hints and v.value != hints[c]:
                return False
    return True


def _rowwise(rows, rules, known, decided, unsolved) -> Solution:
    ambiguous = []
    for row in rows:
        own = [r for r in rules if set(r.cells) <= set(row.cells) | set(known)]
        fits = [opt for opt in row.options if _check(own, {**known, **{c: v.value for c, v in zip(row.cells, opt)}})]
        if len(fits) == 1:
            decided.update(zip(row.cells, fits[0]))
        elif fits:
            ambiguous.append((row, len(fits)))
        else:
            unsolved.append(row)
    return Solution(decided, ambiguous, unsolved)
