"""Fit each row's tokens to its cells; split digit runs by solving the table identities together, never guessing."""
from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from gongkai.formats.schema import Rule
from gongkai.parse.values import Token

MAX_OPTIONS = 20_000  # splits kept per row; beyond this the row is left unread rather than searched forever
MAX_SOLUTIONS = 64
MAX_NODES = 300_000


class Value(NamedTuple):  # a tuple: built for every reading of every cell, cheaper than a frozen dataclass
    value: int | float | None
    start: int
    end: int
    how: str = "read"  # read | split | inserted (a blank cell put back where flattening dropped it)


@dataclass
class RowRead:
    label: str
    cells: tuple[str, ...]
    tokens: list[Token]
    options: list[tuple[Value, ...]] = field(default_factory=list)
    keep: int = 0  # how many leading cells are reported (a trailing 历年累计 column is read, then dropped)
    more: Iterator[list[tuple[Value, ...]] | None] | None = None  # readings that put back more blank cells

    @property
    def digits(self) -> str:
        return " ".join(t.text for t in self.tokens if t.kind == "num")


def _cuts(tok: Token, fewest: int, most: int) -> Iterator[tuple[Value, ...]]:
    """Every way to read one token as `fewest` to `most` numbers: as printed, or, for a digit run, cut into
    numbers with no leading zeros ("00" is two zeros, never one)."""
    if not tok.splittable:
        if fewest <= 1 <= most:
            yield (Value(tok.value, tok.start, tok.end),)
        return
    text, n = tok.text, len(tok.text)
    if fewest <= 1 <= most and text[0] != "0":  # "00" or "0123" is never one printed number
        yield (Value(int(text), tok.start, tok.end),)
    if fewest == most == n:  # one digit each, the only cut ("0000000" in 7 cells, the common glued row)
        yield tuple([Value(int(d), tok.start + i, tok.start + i + 1, "split") for i, d in enumerate(text)])
        return
    pieces: dict[tuple[int, int], Value] = {}
    tails: dict[tuple[int, int], list[tuple[Value, ...]]] = {}  # cuts of text[i:] into k numbers, shared by heads

    def piece(i: int, j: int) -> Value:
        if (i, j) not in pieces:
            pieces[i, j] = Value(int(text[i:j]), tok.start + i, tok.start + j, "split")
        return pieces[i, j]

    def cut(i: int, k: int) -> list[tuple[Value, ...]]:
        if (i, k) in tails:
            return tails[i, k]
        if k == 1:
            out = [(piece(i, n),)] if n - i == 1 or text[i] != "0" else []
        elif k == n - i:  # one digit each: the only cut ("0000000" in 7 cells, the common glued row)
            out = [tuple(piece(j, j + 1) for j in range(i, n))]
        else:
            out = []
            for j in range(i + 1, n - k + 2):
                if j - i > 1 and text[i] == "0":
                    break
                head = piece(i, j)
                out += [(head,) + rest for rest in cut(j, k - 1)]
        tails[i, k] = out
        return out

    for parts in range(max(2, fewest), min(n, most) + 1):
        yield from cut(0, parts)


def _exact(toks: list[Token], k: int) -> list[tuple[Value, ...]]:
    "Readings of the tokens as exactly k numbers, digit runs cut where needed (at most MAX_OPTIONS + 1)."
    # after[i]: the most numbers toks[i:] can be read as (a digit run, one per digit)
    after = [0] * (len(toks) + 1)
    for i in range(len(toks) - 1, -1, -1):
        after[i] = after[i + 1] + (len(toks[i].text) if toks[i].splittable else 1)
    known: dict[tuple[int, int], list[tuple[Value, ...]]] = {}  # the tails, shared by every cut of the heads

    def fit(i: int, k: int) -> list[tuple[Value, ...]]:
        if i == len(toks):
            return [()] if k == 0 else []
        if (i, k) in known:
            return known[i, k]
        out: list[tuple[Value, ...]] = []
        for cut in _cuts(toks[i], k - after[i + 1], k - (len(toks) - i - 1)):
            for tail in fit(i + 1, k - len(cut)):
                out.append(cut + tail)
                if len(out) > MAX_OPTIONS:
                    break
            if len(out) > MAX_OPTIONS:
                break
        known[i, k] = out
        return out

    return fit(0, k)


def as_printed(tokens: list[Token], n: int) -> list[tuple[Value, ...]] | None:
    "The one reading of tokens that number the n cells as printed, none of them several cells run together."
    if len(tokens) != n or any(t.several for t in tokens):
        return None
    return [tuple([Value(t.value, t.start, t.end) for t in tokens])]


def reading_tiers(tokens: list[Token], n: int) -> Iterator[list[tuple[Value, ...]] | None]:
    """The readings of the tokens as n cells, by how many blank cells they put back: first those that put
    back none (as printed, or digit runs split), then one, two… Blank cells are put back only where the row
    shows none of its own: PDF text and crawled pages drop empty cells. A tier too large to search is None."""
    toks = list(tokens)
    while len(toks) > n and toks[-1].kind == "blank":
        toks.pop()
    while len(toks) > n and toks[0].kind == "blank":
        toks.pop(0)
    if len(toks) > n:
        return
    printed = as_printed(toks, n)
    if printed is not None:
        yield printed
        return
    blanks_vanish = bool(toks) and all(t.kind == "num" for t in toks)
    for missing in range(n - len(toks) + 1 if blanks_vanish else 1):
        exact = _exact(toks, n - missing)
        if len(exact) * math.comb(n, missing) > MAX_OPTIONS:  # each reading fills C(n, missing) placements
            yield None  # too many to search: the row is left unread rather than read from a partial list
            return
        yield [placed for values in exact for placed in _with_blanks(values, n)] if missing else exact


def first_tier(tiers: Iterator[list[tuple[Value, ...]] | None]) -> list[tuple[Value, ...]]:
    "The readings that put back the fewest blank cells (none if no tier has any, or it is too large)."
    return next((tier for tier in tiers if tier is None or tier), None) or []


def all_tiers(tiers: Iterator[list[tuple[Value, ...]] | None]) -> list[tuple[Value, ...]]:
    "Every reading whatever blank cells it puts back; none if they are too many to search."
    out: list[tuple[Value, ...]] = []
    for tier in tiers:
        if tier is None or len(out) + len(tier) > MAX_OPTIONS:
            return []
        out += tier
    return out


def _with_blanks(values: tuple[Value, ...], n: int) -> list[tuple[Value, ...]]:
    "The values in order over n cells, the other cells blank."
    out = []
    for spots in itertools.combinations(range(n), len(values)):
        row: list[Value | None] = [None] * n
        for i, v in zip(spots, values):
            row[i] = v
        for i in range(n - 1, -1, -1):  # a blank sits where the next printed value starts (or the row ends)
            if row[i] is None:
                at = row[i + 1].start if i + 1 < n else values[-1].end
                row[i] = Value(None, at, at, "inserted")
        out.append(tuple(row))
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
    open_rows = [_own_rules_cut(r, rules, known) for r in open_rows]
    unsolved += [r for r in open_rows if not r.options]
    open_rows = [r for r in open_rows if r.options]
    for r in [r for r in open_rows if len(r.options) == 1]:
        decided.update(zip(r.cells, r.options[0]))
        known.update((c, v.value) for c, v in zip(r.cells, r.options[0]))
    open_rows = [r for r in open_rows if len(r.options) > 1]
    if not open_rows:
        return Solution(decided, [], unsolved)
    ambiguous: list[tuple[RowRead, int]] = []
    for group in _groups(open_rows, rules, known):
        part = _solve_group(group, rules, known, hints)
        decided.update(part.values)
        ambiguous += part.ambiguous
        unsolved += part.unsolved
    return Solution(decided, ambiguous, unsolved)


def _usable(rows: list[RowRead], rules: tuple[Rule, ...], known: dict) -> list[Rule]:
    "The rules over these rows' cells whose other cells are all known."
    open_cells = {c for r in rows for c in r.cells}
    return [rule for rule in rules if any(c in open_cells for c in rule.cells)
            and all(c in known or c in open_cells for c in rule.cells)]


def _groups(rows: list[RowRead], rules: tuple[Rule, ...], known: dict) -> list[list[RowRead]]:
    "Rows that share no identity are solved apart, so one row's doubt does not spread to unrelated rows."
    owner = {c: i for i, r in enumerate(rows) for c in r.cells}
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for rule in _usable(rows, rules, known):
        linked = [owner[c] for c in rule.cells if c in owner]
        for i in linked[1:]:
            parent[root(i)] = root(linked[0])
    groups: dict[int, list[RowRead]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(root(i), []).append(r)
    return list(groups.values())


def _solve_group(open_rows: list[RowRead], rules: tuple[Rule, ...], known: dict, hints: dict) -> Solution:
    "Search the readings of rows linked by identities; keep the cells every solution agrees on."
    usable = _usable(open_rows, rules, known)
    open_rows = sorted(open_rows, key=lambda r: len(r.options))
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
        return _rowwise(open_rows, rules, known, {}, [])
    preferred = [s for s in solutions if _agrees(open_rows, s, hints)]
    if preferred:
        solutions = preferred
    decided: dict[str, Value] = {}
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
    return Solution(decided, ambiguous, [])


def _own_rules_cut(row: RowRead, rules: tuple[Rule, ...], known: dict) -> RowRead:
    "The row with only the readings its own identities (total = sum of the columns) allow."
    cells = set(row.cells)
    own = [r for r in rules if cells & set(r.cells) and set(r.cells) <= cells | known.keys()]
    if not own:
        return row
    def fitting(readings):
        return [o for o in readings if _check(own, {**known, **{c: v.value for c, v in zip(row.cells, o)}})]

    fits = fitting(row.options)
    for tier in row.more or ():  # no reading fits: try putting back more vanished blank cells
        if fits or tier is None:
            break
        fits = fitting(tier)
    return dataclasses.replace(row, options=fits)


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
