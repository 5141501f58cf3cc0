"""Fit each row's tokens to its cells; split digit runs by solving the table identities together, never guessing."""
from __future__ import annotations

import functools
import itertools
import math
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from gongkai.formats.schema import Rule
from gongkai.parse.values import Token, number

MAX_OPTIONS = 20_000  # splits kept per row; beyond this the row is left unread rather than searched forever
MAX_SOLUTIONS = 64
MAX_NODES = 100_000  # search steps per table group: a doubtful table is left out in well under a second


_tuple_new = tuple.__new__
_DIGIT_VALUES = bytes.maketrans(b"0123456789", bytes(range(10)))  # ASCII digits to the bytes of their values
_SMALL_COUNTS = {str(i): i for i in range(1000)}  # "0" → 0 … "999" → 999: most cells of every report


class Value(NamedTuple):  # a tuple: built for every reading of every cell, cheaper than a frozen dataclass
    value: int | float | None
    start: int
    end: int
    how: str = "read"  # read | split | inserted (a blank cell put back where flattening dropped it)


class RowRead(NamedTuple):  # a tuple: one per row of every report, cheaper to build than a dataclass
    label: str
    cells: tuple[str, ...]
    tokens: list[Token]
    options: list[tuple[Value, ...]]
    keep: int  # how many leading cells are reported (a trailing 历年累计 column is read, then dropped)
    more: Iterator[list[tuple[Value, ...]] | None]  # readings that put back more blank cells
    every_tier: bool = False  # the author leaves cells blank: readings putting back any number of blanks count

    @property
    def digits(self) -> str:
        return " ".join(t.text for t in self.tokens if t.kind == "num")


def _cuts(tok: Token, fewest: int, most: int) -> Iterator[tuple[Value, ...]]:
    """Every way to read one token as `fewest` to `most` numbers: as printed, or, for a digit run, cut into
    numbers with no leading zeros ("00" is two zeros, never one)."""
    if not tok.splittable:
        if fewest <= 1 <= most:
            yield printed((tok,))
        return
    text, n = tok.text, len(tok.text)
    if fewest <= 1 <= most and text[0] != "0":  # "00" or "0123" is never one printed number
        yield (_tuple_new(Value, (int(text), tok.start, tok.end, "read")),)
    if fewest == most == n:  # one digit each, the only cut ("0000000" in 7 cells, the common glued row)
        yield _per_digit(text, tok.start)
        return
    tails: dict[tuple[int, int], list[tuple[Value, ...]]] = {}  # cuts of text[i:] into k numbers, shared by heads
    for parts in range(max(2, fewest), min(n, most) + 1):
        yield from _run_cuts(text, tok.start, 0, parts, tails)


def _run_cuts(text: str, at: int, i: int, k: int, tails: dict) -> list[tuple[Value, ...]]:
    """The cuts of text[i:] (a digit run printed at offset `at`) into k numbers with no leading zeros; `tails`
    keeps those already made. A function of its own, not a closure calling itself: that closure would keep
    its dicts alive until the cyclic garbage collector runs. Values built by tuple.__new__ (see printed)."""
    if (i, k) in tails:
        return tails[i, k]
    n = len(text)
    if k == 1:
        out = [(_tuple_new(Value, (int(text[i:]), at + i, at + n, "split")),)] if n - i == 1 or text[i] != "0" else []
    elif k == n - i:  # one digit each: the only cut ("0000000" in 7 cells, the common glued row)
        out = [_per_digit(text[i:], at + i)]
    else:
        out = []
        for j in range(i + 1, n - k + 2):
            if j - i > 1 and text[i] == "0":
                break
            head = _tuple_new(Value, (int(text[i:j]), at + i, at + j, "split"))
            out += [(head,) + rest for rest in _run_cuts(text, at, j, k - 1, tails)]
    tails[i, k] = out
    return out


def _per_digit(text: str, at: int) -> tuple[Value, ...]:
    "The digit run printed at offset `at`, a number per digit."
    # Built by map and zip, with no Python-level step per digit (glued rows print dozens). An ASCII run's digit
    # values are its bytes translated (bytes iterate as ints): cheaper than int() of each digit.
    digits = text.encode().translate(_DIGIT_VALUES) if text.isascii() else map(int, text)
    end = at + len(text)
    return tuple(map(_tuple_new, itertools.repeat(Value),
                     zip(digits, range(at, end), range(at + 1, end + 1), itertools.repeat("split"))))


def _exact(toks: list[Token], k: int) -> list[tuple[Value, ...]]:
    "Readings of the tokens as exactly k numbers, digit runs cut where needed (at most MAX_OPTIONS + 1)."
    # after[i]: the most numbers toks[i:] can be read as (a digit run, one per digit)
    after = [0] * (len(toks) + 1)
    for i in range(len(toks) - 1, -1, -1):
        after[i] = after[i + 1] + (len(toks[i].text) if toks[i].splittable else 1)
    return _exact_from(toks, after, 0, k, {})


def _exact_from(toks: list[Token], after: list[int], i: int, k: int, known: dict) -> list[tuple[Value, ...]]:
    """Readings of toks[i:] as exactly k numbers; `known` keeps the tails, shared by every cut of the heads.
    State passed along rather than closed over: a closure calling itself is a reference cycle."""
    if i == len(toks):
        return [()] if k == 0 else []
    if (i, k) in known:
        return known[i, k]
    out: list[tuple[Value, ...]] = []
    for cut in _cuts(toks[i], k - after[i + 1], k - (len(toks) - i - 1)):
        tails = _exact_from(toks, after, i + 1, k - len(cut), known)
        out += [cut + tail for tail in tails[:MAX_OPTIONS + 1 - len(out)]]
        if len(out) > MAX_OPTIONS:
            break
    known[i, k] = out
    return out


def as_printed(tokens: list[Token], n: int) -> list[tuple[Value, ...]] | None:
    "The one reading of tokens that number the n cells as printed, none of them several cells run together."
    if len(tokens) != n or any(t.several for t in tokens):
        return None
    return [printed(tokens)]


def printed(tokens: list[Token]) -> tuple[Value, ...]:
    "Each token one cell, as printed."
    # Every cell of every report passes here: the tokens unpacked rather than asked for fields and Token.value,
    # and tuple.__new__ rather than Value(...)'s generated __new__, a Python call per cell.
    # Most printed numbers are small counts, looked up rather than parsed by int() (a call through int's type);
    # int() next: most others are plain digits, and number() is a Python call per cell. A blank's text is "".
    return tuple([_tuple_new(Value, (_SMALL_COUNTS[text] if text in _SMALL_COUNTS else None if kind == "blank"
                                     else int(text) if text.isdigit() else number(text), start, end, "read"))
                  for kind, start, end, text, _ in tokens])


def trimmed(tokens: list[Token], n: int) -> list[Token]:
    "The tokens without blank cells printed beyond the row's n cells (a pipe row ending `| | |`)."
    toks = list(tokens)
    while len(toks) > n and toks[-1].kind == "blank":
        toks.pop()
    while len(toks) > n and toks[0].kind == "blank":
        toks.pop(0)
    return toks


def reading_tiers(tokens: list[Token], n: int) -> Iterator[list[tuple[Value, ...]] | None]:
    """The readings of the tokens as n cells, by how many blank cells they put back: first those that put
    back none (as printed, or digit runs split), then one, two… Blank cells are put back only where the row
    shows none of its own: PDF text and crawled pages drop empty cells. A tier too large to search is None."""
    toks = trimmed(tokens, n)
    if len(toks) > n:
        return
    printed = as_printed(toks, n)
    if printed is not None:
        yield printed
        return
    blanks_vanish = bool(toks) and all(t.kind == "num" for t in toks)
    digits = most = fewest = 0  # the digits printed; the most and fewest numbers the tokens can be read as
    for t in toks:
        digits += len(t.text) or 1
        if t.splittable:
            most += len(t.text)
            fewest += _fewest(t.text)
        else:
            most += 1
            fewest += 1
    for missing in range(n - len(toks) + 1 if blanks_vanish else 1):
        # Tiers asking for more numbers than the tokens hold, or fewer than they must be read as ("0000000" is
        # seven cells), are empty: known without a search.
        if n - missing > most:
            yield []
            continue
        if n - missing < fewest:
            return
        # Each reading fills C(n, missing) placements. A huge tier is never built: counted first, unless even
        # every cut of the digits into n - missing numbers (C(digits - 1, n - missing - 1)) is few enough.
        if fewest == most:  # the one cut: every digit its own number ("0000000" in 7 cells, the common glued row)
            cut = only_cut(toks)
            yield _with_blanks(cut, n) if missing else [cut]
            continue
        placements = math.comb(n, missing)
        if math.comb(max(digits - 1, 0), n - missing - 1) * placements > MAX_OPTIONS and \
                _count(toks, n - missing) * placements > MAX_OPTIONS:
            yield None  # too many to search: the row is left unread rather than read from a partial list
            return
        exact = _exact(toks, n - missing)
        yield [placed for values in exact for placed in _with_blanks(values, n)] if missing else exact


def only_cut(tokens: list[Token]) -> tuple[Value, ...] | None:
    """The reading of tokens when each digit run can be cut only one way, a number per digit: a cell of 0 is the
    digit alone, so "0000000" is seven numbers and "001" three. None if a run can be cut several ways."""
    out: list[Value] = []
    for t in tokens:
        if not t.splittable:
            out += printed((t,))
        elif _fewest(t.text) < len(t.text):  # it can also be read as fewer numbers: cut several ways
            return None
        else:
            out += _per_digit(t.text, t.start)
    return tuple(out)


def _fewest(run: str) -> int:
    "The fewest numbers a digit run can be cut into: a cell of 0 is the digit alone, so each leading 0 is one."
    zeros = len(run) - len(run.lstrip("0"))
    return zeros + (zeros < len(run))


def _count(toks: list[Token], k: int) -> int:
    "How many readings of the tokens as exactly k numbers there are, without building them."
    return _count_from(toks, 0, k, {})


def _count_from(toks: list[Token], t: int, k: int, known: dict[tuple[int, int], int]) -> int:
    "How many readings of toks[t:] as exactly k numbers there are (state passed along: no closure cycle)."
    if t == len(toks):
        return 1 if k == 0 else 0
    if (t, k) not in known:
        tok = toks[t]
        if not tok.splittable:
            known[t, k] = _count_from(toks, t + 1, k - 1, known) if k >= 1 else 0
        else:
            known[t, k] = sum(_pieces(tok.text, 0, c) * _count_from(toks, t + 1, k - c, known)
                              for c in range(1, min(k, len(tok.text)) + 1))
    return known[t, k]


@functools.lru_cache(maxsize=8192)  # the same runs ("0000000") recur in every row and report
def _pieces(text: str, i: int, parts: int) -> int:
    "How many cuts of text[i:] into `parts` numbers with no leading zeros there are."
    if parts == 1:
        return 1 if len(text) - i == 1 or text[i] != "0" else 0
    if text[i] == "0":  # a cell of 0 is the digit alone
        return _pieces(text, i + 1, parts - 1) if i + 1 < len(text) else 0
    return sum(_pieces(text, j, parts - 1) for j in range(i + 1, len(text) - parts + 2))


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
    if len(values) == n:  # no cell left blank: the one placement
        return [values]
    # A blank sits where the next printed value starts (or where the last ends): one Value for each such place,
    # shared by every placement; each placement taken from the values and blanks by a precomputed getter.
    blanks = [_tuple_new(Value, (None, v.start, v.start, "inserted")) for v in values]
    blanks.append(_tuple_new(Value, (None, values[-1].end, values[-1].end, "inserted")))
    pool = (*values, *blanks)
    return [take(pool) for take in _placements(n, len(values))]


@functools.lru_cache(maxsize=64)  # a few (cells, values) shapes per format recur in every report
def _placements(n: int, m: int) -> tuple[operator.itemgetter, ...]:
    """For each way to place m values in order over n > m cells, an itemgetter taking the row from the pool
    (m values, then the m + 1 blanks of _with_blanks): built once per shape, with no Python step per cell after."""
    out = []
    for spots in itertools.combinations(range(n), m):
        row: list[int] = []
        for j, spot in enumerate(spots):
            row += [m + j] * (spot - len(row))  # the blank before value j
            row.append(j)
        row += [m + m] * (n - len(row))  # the blank after the last value
        out.append(operator.itemgetter(*row))
    return tuple(out)


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
    settled = [r for r in rows if len(r.options) == 1]
    # One dict built from all the settled rows' cells: most rows of most reports, so not an update per row.
    decided = dict(zip(itertools.chain.from_iterable([r.cells for r in settled]),
                       itertools.chain.from_iterable([r.options[0] for r in settled])))
    open_rows = [r for r in rows if len(r.options) != 1]
    if not open_rows:
        return Solution(decided, [], [])

    known = {c: v.value for c, v in decided.items()}
    rules = _Rules.of(rules)
    open_rows = [_own_rules_cut(r, rules, known) for r in open_rows]
    unsolved = [r for r in open_rows if not r.options]
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


class _Rules:
    "The identities, indexed by cell: solving asks again and again for the few that touch some rows."

    def __init__(self, rules: tuple[Rule, ...]):
        self.all = rules
        self.by_cell: dict[str, list[int]] = {}
        for i, rule in enumerate(rules):
            for c in rule.cells:
                self.by_cell.setdefault(c, []).append(i)

    @classmethod
    def of(cls, rules: tuple[Rule, ...]) -> _Rules:
        "The index of a format's rules, built once (by id; the index keeps the tuple, so the id is not reused)."
        got = _INDEXES.get(id(rules))
        if got is None:
            if len(_INDEXES) >= 16:  # prose-era reports add rules of their own: bound what is kept
                _INDEXES.clear()
            got = _INDEXES[id(rules)] = cls(rules)
        return got

    def touching(self, cells) -> list[Rule]:
        "The rules naming any of the cells, in their order."
        return [self.all[i] for i in sorted({i for c in cells for i in self.by_cell.get(c, ())})]


_INDEXES: dict[int, _Rules] = {}


def _usable(rows: list[RowRead], rules: _Rules, known: dict) -> list[Rule]:
    "The rules over these rows' cells whose other cells are all known."
    open_cells = {c for r in rows for c in r.cells}
    return [rule for rule in rules.touching(open_cells) if all(c in known or c in open_cells for c in rule.cells)]


def _groups(rows: list[RowRead], rules: _Rules, known: dict) -> list[list[RowRead]]:
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


class _Search:
    """Depth-first search over the readings of rows linked by identities. Each identity is tested as soon as
    one of its rows is chosen, against the least and most the rows still open can add: wrong splits are
    dropped early rather than at the last row."""

    def __init__(self, rows: list[RowRead], rules: list[Rule], known: dict):
        self.rows, self.nodes = rows, 0
        row_of = {c: i for i, r in enumerate(rows) for c in r.cells}
        lo: dict[str, float] = {}
        hi: dict[str, float] = {}
        for r in rows:
            for j, c in enumerate(r.cells):
                values = [o[j].value or 0 for o in r.options]
                lo[c], hi[c] = min(values), max(values)
        self.touching: list[list[tuple]] = [[] for _ in rows]
        for rule in rules:
            const, terms = 0, []
            for sign, cells in ((1, rule.left), (-1, rule.right)):
                for c in cells:
                    if c in row_of:
                        terms.append((row_of[c], c, sign))
                    else:
                        const += sign * (known.get(c) or 0)
            # rest_lo[i], rest_hi[i]: the least and most the terms of rows after i can add
            rest_lo, rest_hi = [], []
            for i in range(len(rows)):
                later = [(c, sign) for row, c, sign in terms if row > i]
                rest_lo.append(sum(sign * (lo[c] if sign > 0 else hi[c]) for c, sign in later))
                rest_hi.append(sum(sign * (hi[c] if sign > 0 else lo[c]) for c, sign in later))
            for i in {row for row, _, _ in terms}:
                done = [(c, sign) for row, c, sign in terms if row <= i]
                self.touching[i].append((rule.op == "eq", const, done, rest_lo[i], rest_hi[i]))

    def _fits(self, i: int, assigned: dict) -> bool:
        for eq, const, done, rest_lo, rest_hi in self.touching[i]:
            partial = const + sum(sign * (assigned[c] or 0) for c, sign in done)
            if partial + rest_lo > 1e-6 or (eq and partial + rest_hi < -1e-6):
                return False
        return True

    def run(self, limit: int, only: tuple[int, int] | None = None) -> tuple[list[tuple[int, ...]], bool]:
        """Up to `limit` solutions (row `only[0]` held to reading `only[1]`), and whether the search stayed within
        its budget (so it either saw every solution or stopped at the limit)."""
        solutions: list[tuple[int, ...]] = []
        self._walk(0, [], {}, solutions, limit, only)
        return solutions, self.nodes <= MAX_NODES

    def _walk(self, i: int, choice: list[int], assigned: dict, solutions: list, limit: int,
              only: tuple[int, int] | None) -> bool:
        "Try each reading of row i on top of `choice`; False once the search must stop."
        # A method with its state passed along, not a closure calling itself: that would be a reference cycle,
        # keeping the search's lists alive until the cyclic GC runs.
        rows = self.rows
        if i == len(rows):
            solutions.append(tuple(choice))
            return len(solutions) < limit
        row = rows[i]
        for k, opt in enumerate(row.options):
            if only is not None and only[0] == i and only[1] != k:
                continue
            self.nodes += 1
            if self.nodes > MAX_NODES:
                return False
            for c, v in zip(row.cells, opt):
                assigned[c] = v.value
            if self._fits(i, assigned):
                choice.append(k)
                go_on = self._walk(i + 1, choice, assigned, solutions, limit, only)
                choice.pop()
                if not go_on:
                    return False
        return True


def _solve_group(open_rows: list[RowRead], rules: _Rules, known: dict, hints: dict) -> Solution:
    "Search the readings of rows linked by identities; keep the cells every solution agrees on."
    open_rows = sorted(open_rows, key=lambda r: len(r.options))
    search = _Search(open_rows, _usable(open_rows, rules, known), known)
    solutions, finished = search.run(MAX_SOLUTIONS)
    if not solutions:  # the identities fail whatever the split: fall back to each row's own rules
        return _rowwise(open_rows, rules, known, {}, []) if finished else \
            Solution({}, [(r, -1) for r in open_rows], [])
    if finished and len(solutions) < MAX_SOLUTIONS:
        preferred = [s for s in solutions if _agrees(open_rows, s, hints)]
        readings = [{s[i] for s in preferred or solutions} for i in range(len(open_rows))]
    else:  # too many solutions to list: keep each reading some solution uses, found one search per reading
        readings = _supported(search, solutions)
    decided: dict[str, Value] = {}
    ambiguous = []
    for i, row in enumerate(open_rows):
        if readings[i] is None:  # not searched to the end: nothing of the row is certain
            ambiguous.append((row, -1))
            continue
        values = [row.options[k] for k in readings[i]]
        for j, c in enumerate(row.cells):
            if len({v[j].value for v in values}) == 1:
                decided[c] = values[0][j]
        if len(values) > 1:
            ambiguous.append((row, len(values)))
    return Solution(decided, ambiguous, [])


def _supported(search: _Search, found: list[tuple[int, ...]]) -> list[set[int] | None]:
    """Per row, the readings that some solution uses: those seen, and each other one if a search holding the
    row to it finds a solution. A row whose searches run out of budget is None (unknown)."""
    out: list[set[int] | None] = []
    for i, row in enumerate(search.rows):
        seen = {s[i] for s in found}
        for k in range(len(row.options)):
            if k in seen:
                continue
            solutions, finished = search.run(1, only=(i, k))
            if solutions:
                seen.add(k)
            elif not finished:
                seen = None
                break
        out.append(seen)
    return out


def _own_rules_cut(row: RowRead, rules: _Rules, known: dict) -> RowRead:
    "The row with only the readings its own identities (total = sum of the columns) allow."
    cells = set(row.cells)
    own = [r for r in rules.touching(cells) if all(c in cells or c in known for c in r.cells)]
    if not own:
        return row
    def fitting(readings):
        return [o for o in readings if _check(own, {**known, **{c: v.value for c, v in zip(row.cells, o)}})]

    if any(_totals_row(r, row.cells) for r in own):  # built from the sum, not listed and filtered
        return row._replace(options=_summing_readings(row, fitting))
    fits = fitting(row.options)
    for tier in row.more or ():  # no reading fits: try putting back more vanished blank cells
        if fits or tier is None:
            break
        fits = fitting(tier)
    return row._replace(options=fits)


def _agrees(rows: list[RowRead], solution: tuple[int, ...], hints: dict) -> bool:
    for row, k in zip(rows, solution):
        for c, v in zip(row.cells, row.options[k]):
            if c in hints and v.value != hints[c]:
                return False
    return True


def _rowwise(rows, rules, known, decided, unsolved) -> Solution:
    ambiguous = []
    for row in rows:
        own = [r for r in rules.all if set(r.cells) <= set(row.cells) | set(known)]
        fits = [opt for opt in row.options if _check(own, {**known, **{c: v.value for c, v in zip(row.cells, opt)}})]
        if len(fits) == 1:
            decided.update(zip(row.cells, fits[0]))
        elif fits:
            ambiguous.append((row, len(fits)))
        else:
            unsolved.append(row)
    return Solution(decided, ambiguous, unsolved)


def _totals_row(rule: Rule, cells: tuple[str, ...]) -> bool:
    "The rule says the row's last cell is the sum of all its others."
    return rule.op == "eq" and rule.right == cells[-1:] and set(rule.left) == set(cells[:-1])


def _summing_readings(row: RowRead, fitting) -> list[tuple[Value, ...]]:
    """The readings of a digit row whose last cell is the sum of the others that also pass `fitting`, built
    from that sum: the total is a suffix of the last run and the other numbers must add up to it. Only the
    fewest blanks put back, unless the author leaves cells blank; [] if the readings are too many."""
    toks, n = row.tokens, len(row.cells)
    if not toks or any(t.kind != "num" or not t.text.isdigit() for t in toks):
        return fitting(row.options)
    out: list[tuple[Value, ...]] = []
    for k in range(n, 0, -1):  # k printed numbers, n - k blank cells put back
        try:
            sums = list(_summing(toks, k))
        except _TooMany:
            return []
        for values in sums:
            if values[-1].value == 0:  # all zeros: the total may be one of the blanks too
                placed = _with_blanks(values, n)
            else:
                placed = [head + values[-1:] for head in _with_blanks(values[:-1], n - 1)] if k > 1 else \
                    [(Value(None, values[0].start, values[0].start, "inserted"),) * (n - 1) + values]
            out += fitting(placed)
            if len(out) > MAX_OPTIONS:
                return []
        if out and not row.every_tier:
            break
    return out


class _TooMany(Exception):
    "More readings than MAX_OPTIONS: the row is left unread rather than searched further."


def _summing(toks: list[Token], k: int) -> Iterator[tuple[Value, ...]]:
    "Readings of the tokens as k numbers, the last one the sum of the others (all counts, so none negative)."
    last = toks[-1]
    text = last.text
    suffixes = [(Value(last.value, last.start, last.end), None)]
    if last.splittable:
        suffixes = [(Value(int(text[i:]), last.start + i, last.end, "split"),
                     last._replace(text=text[:i], end=last.start + i))
                    for i in range(1, len(text)) if text[i] != "0" or i == len(text) - 1]
    for total, rest in suffixes:
        head = toks[:-1] + ([rest] if rest is not None else [])
        for values in _adding_up(head, k - 1, total.value):
            yield values + (total,)


def _adding_up(toks: list[Token], k: int, target: int) -> list[tuple[Value, ...]]:
    "Readings of the tokens as k numbers that add up to target, cut digit by digit and given up on overshoot."
    return _Sums(toks).fit(0, 0, k, target)


class _Sums:
    """The cuts of tokens into numbers with a given sum, each (token, offset in it, count, sum) worked out once.
    A class, not a closure calling itself: that would be a reference cycle keeping the cuts alive until the
    cyclic GC runs."""

    def __init__(self, toks: list[Token]):
        self.toks = toks
        self.known: dict[tuple[int, int, int, int], list[tuple[Value, ...]]] = {}
        self.plain = all(t.text.isdigit() for t in toks)
        self.digits_after = [0] * (len(toks) + 1)  # digits printed by toks[i + 1:]
        for i in range(len(toks) - 2, -1, -1):
            self.digits_after[i] = self.digits_after[i + 1] + len(toks[i + 1].text)

    def fit(self, i: int, at: int, k: int, left: int) -> list[tuple[Value, ...]]:
        "Cuts of toks[i][at:] and the tokens after it into k numbers adding up to `left`."
        toks = self.toks
        if i == len(toks):
            return [()] if k == 0 and left == 0 else []
        digits = self.digits_after[i] + len(toks[i].text) - at
        # Every token left holds at least one number; k numbers no larger than `left` hold only so many digits;
        # and k numbers cut from `digits` digits, none longer than digits - k + 1, cannot reach a larger sum.
        if k < len(toks) - i or (self.plain and (digits > k * len(str(left)) or left >= k * 10 ** (digits - k + 1))):
            return []
        known = self.known
        if (i, at, k, left) in known:
            return known[i, at, k, left]
        tok, out = toks[i], []
        if not tok.splittable:
            if tok.value <= left:
                out = [(Value(tok.value, tok.start, tok.end),) + tail
                       for tail in self.fit(i + 1, 0, k - 1, left - tok.value)]
        else:
            text = tok.text
            for stop in range(at + 1, len(text) + 1):
                if stop - at > 1 and text[at] == "0":  # "05" is never one printed number
                    break
                value = int(text[at:stop])
                if value > left:
                    break
                head = (Value(value, tok.start + at, tok.start + stop, "split"),)
                rest = self.fit(i + 1, 0, k - 1, left - value) if stop == len(text) else \
                    self.fit(i, stop, k - 1, left - value)
                out += [head + tail for tail in rest]
                if len(out) > MAX_OPTIONS:
                    raise _TooMany
        known[i, at, k, left] = out
        return out
