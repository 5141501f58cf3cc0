"""Find a statutory table in the key text: its anchor, then each row label in order, tolerating omitted rows."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from gongkai.formats.schema import Row, Table, per_object
from gongkai.parse.normalize import KeyText

CLUSTER_WINDOW = 300  # key chars in which a table's header words and labels cluster
CLUSTER_SIZE = 3  # distinct words that make a cluster (prose rarely names three table headings that close)
ROW_REACH = 1500  # key chars between consecutive rows beyond which the next label is no longer this table's
LOOKAHEAD = 4  # later rows checked so that a missing row does not swallow the rows after it
SHORT_KEY = 3  # keys this short (其他, 总计) must carry their list number to count
WRAPPED_KEY = 12  # labels this long may wrap inside their cell, and a head of them still names the row
WRAPPED_HEAD = 6
CLUSTER_REACH = 40  # occurrences after a spot that can count for its cluster
HEADER_REACH = 60  # key chars after a header word (and the borders after it) in which the next one must end
_BORDERS = re.compile(r"[|\-:]*")  # cell borders and markdown rule rows (|---|---|)
_HEADER_GAP = re.compile(r"(?:[|\-:]|\ufffd[\u4e00-\u9fff]?|[\u4e00-\u9fff](?=\ufffd))*")


_tuple_new = tuple.__new__  # RowHit(...) calls its generated __new__, a Python call per row; this does not


class RowHit(NamedTuple):  # one per row: a tuple is cheaper to build than a frozen dataclass
    row: Row
    start: int  # printed offset where the label (with its list number) begins
    end: int  # printed offset just after the label
    key_end: int  # key position just after the label


@dataclass(frozen=True, slots=True)
class TableHit:
    table: Table
    anchor: int  # key position where the table starts
    rows: tuple[RowHit, ...]
    values_from: int  # for a label-less row: printed offset after the last header word
    key_end: int  # key position after the last thing read from this table


@cache
def _numerals(number: str) -> tuple[str, ...]:
    "The forms a list number is printed in: 一、 (一) ; 1. 1、 (1)."
    core = number.strip("()、.")
    if not core:
        return ()
    if core.isdigit():
        return (f"{core}.", f"{core}、", f"({core})")
    return (f"{core}、", f"({core})")


@cache
def _damaged(key: str) -> re.Pattern:
    "The key with any of its characters printed as U+FFFD (mojibake), one for one."
    return re.compile("".join(f"[{re.escape(c)}\ufffd]" for c in key))


def _occurrences(keys: str, key: str, start: int, stop: int) -> Iterator[int]:
    """Where the key occurs in keys[start:stop], in order; in a text with mojibake, counting also spots where one
    character, or at most one in three, is damaged (a damaged label must not lose its row of clean cells)."""
    if len(key) >= 2 and keys.find("\ufffd", start, stop) >= 0:
        yield from (m.start() for m in _damaged(key).finditer(keys, start, stop)
                    if m.group().count("\ufffd") <= max(1, len(key) // 3))
        return
    pos = start
    while (p := keys.find(key, pos, stop)) >= 0:
        yield p
        pos = p + 1


def _find(keys: str, rp: _RowPlan, start: int, stop: int, damaged: bool) -> tuple[int, int, int] | None:
    """First occurrence of a row's label (one of its keys, its list number printed before it or, for a key longer
    than SHORT_KEY, not) in keys[start:stop]: (label start with number, key start, key end).
    `damaged`: the text has mojibake somewhere."""
    forms, best = rp.forms, None
    for k in rp.keys:
        # In a text without mojibake, the occurrences are those str.find gives: no generator needed.
        occurrences = _occurrences(keys, k, start, stop) if damaged else None
        p = next(occurrences, -1) if damaged else keys.find(k, start, stop)
        while p >= 0:
            # One C call for all the forms printed just before the key (inside the window); they end in different
            # characters, so its last one tells which.
            if forms and keys.endswith(forms, start, p):
                begin = p - rp.form_length[keys[p - 1]]
            elif len(k) > SHORT_KEY or not forms:
                begin = p
            else:
                p = next(occurrences, -1) if damaged else keys.find(k, p + 1, stop)
                continue
            if best is None or p < best[1]:
                best = (begin, p, p + len(k))
            break
    return best


def _find_wrapped(keys: str, rp: _RowPlan, table: Table, start: int, stop: int,
                  damaged: bool) -> tuple[int, int, int] | None:
    """A long label wrapped inside its cell, its tail printed after the row's values (PDF tables): found by the
    shortest head of it (WRAPPED_HEAD characters or more) that no other row of the table begins with."""
    others = [k for r in table.rows if r is not rp.row for k in r.keys if k]
    for k in rp.row.keys:
        if len(k) < WRAPPED_KEY:
            continue
        size = next((n for n in range(WRAPPED_HEAD, len(k)) if not any(o.startswith(k[:n]) for o in others)), None)
        if size is None:
            continue
        hit = _find(keys, rp._replace(keys=(k[:size],)), start, stop, damaged)
        if hit is not None:
            return hit
    return None


def _run_on(keys: str, row_keys: tuple[str, ...], at: int, end: int) -> int:
    "The end of the printed label: a key matched in part (a shorter variant, a wrapped head) runs on while it fits."
    best = end
    printed = keys[at:end]
    for k in row_keys:
        if k.startswith(printed):
            e = end
            while e - at < len(k) and e < len(keys) and keys[e] == k[e - at]:
                e += 1
            best = max(best, e)
    return best


class _RowPlan(NamedTuple):
    "A labelled row, with what finding it needs worked out once."
    row: Row
    keys: tuple[str, ...]  # the row's non-empty keys
    forms: tuple[str, ...]  # the printed forms of its list number
    form_length: dict[str, int]  # the length of each, by its last character
    repeated: re.Pattern  # copies of the label printed in further cells, matched where the label ends
    runs_on: bool  # one key begins another, so a printed key may run on into the longer one
    later: re.Pattern | None  # any key of the labelled rows among the LOOKAHEAD rows after it
    later_room: int  # the fewest key chars that can hold one of those rows (its shortest key), at least 1
    ahead: tuple[_RowPlan, ...]  # those rows


@dataclass(frozen=True, slots=True)
class _Plan:
    "What locating a table needs from its rows, worked out once per table."
    words: tuple[str, ...]  # header words and labels that cluster at the table's start (each once)
    need: int  # how many different ones make a cluster (all of them, if fewer than CLUSTER_SIZE)
    any_word: re.Pattern  # the longest of the words that occurs at a spot
    starting: dict[str, tuple[str, ...]]  # per word, the words it begins with (itself too), in sorted order
    rows: tuple[_RowPlan, ...]  # the labelled rows, in order
    unlabelled: bool  # a row without a label (read from after the headers)
    headers: re.Pattern | None  # any header word, the longest first (None: the table has none)
    header_run: re.Pattern | None  # a run of header words each close to the last (None: a word too long for it)


def _longest_of(words: list[str]) -> str:
    """A regex that matches the longest of the words that occurs where it matches, as a trie: at each character
    sre tries one branch per distinct next character instead of every word, a longer word before a shorter one."""
    branches = [re.escape(c) + _longest_of([w[1:] for w in words if w and w[0] == c])
                for c in sorted({w[0] for w in words if w})]
    if "" in words and branches:
        branches.append("")  # a word ends here: matched when no longer one goes on
    return "" if not branches else branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


def _repeated(repeats: tuple[str, ...]) -> re.Pattern:
    """A merged label cell spanning columns repeats in each (`标签 | 标签 | 12 |`): values are read after the last
    copy. `repeats`: the row's keys, bare and after each printed form of its list number; after a run of borders
    (taken whole: possessive), the first of them printed there is a copy, and so on while copies follow."""
    return re.compile(rf"(?:\|++(?:{'|'.join(map(re.escape, repeats))}))*")


@per_object
def _plan(table: Table) -> _Plan:
    "The plan of a table: what depends on its format entry alone."
    words = [h for h in table.headers if len(h) >= 4] + [k for r in table.rows for k in r.keys if len(k) >= 4]
    words = tuple(dict.fromkeys(words))
    starting = {w: tuple(v for v in sorted(words) if w.startswith(v)) for w in words}
    any_word = re.compile(_longest_of(list(words)) if words else "(?!)")
    planned: list[tuple[int, _RowPlan]] = []  # (row index, plan), from the last row
    for i in reversed(range(len(table.rows))):  # so that the rows ahead of each are planned before it
        r = table.rows[i]
        if not r.keys[0]:
            continue
        keys = tuple(k for k in r.keys if k)
        forms = _numerals(r.number)
        form_length = {f[-1]: len(f) for f in forms}
        assert len(form_length) == len(forms), r.number  # _find tells the printed form by its last character
        ahead = tuple(rp for j, rp in reversed(planned) if j <= i + LOOKAHEAD)
        later = [k for rp in ahead for k in rp.keys]
        repeated = _repeated(tuple(f + k for f in ("",) + forms for k in keys))
        planned.append((i, _RowPlan(r, keys, forms, form_length, repeated,
                                    any(o != k and o.startswith(k) for k in keys for o in keys),
                                    re.compile("|".join(map(re.escape, later))) if later else None,
                                    min(map(len, later), default=1), ahead)))
    rows = tuple(rp for _, rp in reversed(planned))
    any_header = "|".join(re.escape(h) for h in sorted(table.headers, key=len, reverse=True))
    return _Plan(words, min(CLUSTER_SIZE, len(words)), any_word, starting, rows,
                 any(not r.keys[0] for r in table.rows), re.compile(any_header) if table.headers else None,
                 _header_run(table.headers, any_header))


def _header_run(headers: tuple[str, ...], any_header: str) -> re.Pattern | None:
    """_header_end's walk over clean text as one regex: each step passes the borders, then takes the first header
    word (the longest there) that starts so near (HEADER_REACH less the longest word) that any word there still ends
    within HEADER_REACH, so it finds what the walk's windowed search finds. A word further on ends the match, and
    the walk goes on from there."""
    longest = max(map(len, headers), default=0)
    if not headers or longest > HEADER_REACH:
        return None
    return re.compile(f"(?:[|\\-:]*+.{{0,{HEADER_REACH - longest}}}?(?:{any_header}))*", re.DOTALL)


def _word_hits(keys: str, plan: _Plan, start: int) -> Iterator[tuple[int, str]]:
    """Each occurrence of the table's words after `start`, by position, then word (several may start at one spot):
    every word's occurrences counted as str.find counts them, one after another without overlapping."""
    after: dict[str, int] = {}  # per word seen: where its next occurrence may begin (a table's words mostly are not)
    # One regex scan finds each spot where some word begins (words overlap, so it restarts one past each spot),
    # instead of one str.find per word over the whole text; the words there are those the longest one begins with.
    search = plan.any_word.search
    m = search(keys, start)
    while m is not None:
        p = m.start()
        for w in plan.starting[m.group()]:
            if p >= after.get(w, start):
                after[w] = p + len(w)
                yield p, w
        m = search(keys, p + 1)


def _clusters(positions: list[int], words: list[str], i: int, need: int) -> bool:
    """Whether `need` different words occur within CLUSTER_WINDOW (and CLUSTER_REACH occurrences) of occurrence i,
    among the occurrences known so far (if the known ones suffice, so do all)."""
    near = min(i + CLUSTER_REACH, bisect.bisect_right(positions, positions[i] + CLUSTER_WINDOW, i))
    return len(set(words[i:near])) >= need


def _anchor(kt: KeyText, plan: _Plan, start: int) -> int | None:
    """Where the table begins: the first spot after `start` where several of its header words and labels cluster.
    Occurrences are found lazily (a table mostly starts soon after `start`, with its words right after it): a
    spot is taken as soon as enough words are seen near it, and passed over once none can still come."""
    need = plan.need
    positions: list[int] = []
    words: list[str] = []
    i = 0  # the occurrence tried next as the anchor
    for p, w in _word_hits(kt.keys, plan, start):
        positions.append(p)
        words.append(w)
        while True:
            # Fewer occurrences than `need` from i on cannot cluster: no call to count them.
            if len(positions) - i >= need and _clusters(positions, words, i, need):
                return positions[i]
            if p - positions[i] <= CLUSTER_WINDOW and len(positions) - i < CLUSTER_REACH:
                break  # occurrence i may still gather words
            i += 1
    return next((positions[j] for j in range(i, len(positions)) if _clusters(positions, words, j, need)), None)


def _header_end(kt: KeyText, table: Table, plan: _Plan, anchor: int) -> int:
    "Key position after the run of header words that starts at the anchor (label-less rows read from there)."
    keys, pos, any_header = kt.keys, anchor, plan.headers
    if not kt.damaged and plan.header_run is not None:  # one regex match for the usual words close together
        pos = plan.header_run.match(keys, pos).end()
    # Only mojibake makes the gap pattern more than cell borders, and a clean text has none anywhere.
    gap = _HEADER_GAP if kt.damaged else _BORDERS
    while True:
        # Cell borders, markdown rule rows (|---|---|) and mojibake-damaged short words between header words.
        look = gap.match(keys, pos).end()
        nxt = _next_header(keys, table.headers, any_header, look, look + HEADER_REACH, kt.damaged)
        if nxt is None:  # past a damaged last header word, if there was one
            end = look
            while end > pos and keys[end - 1] in "|-:":
                end -= 1
            return end if keys.find("\ufffd", pos, end) >= 0 else pos
        pos = nxt


def _next_header(keys: str, headers: tuple[str, ...], any_header: re.Pattern | None, start: int, stop: int,
                 damaged: bool) -> int | None:
    """The end of the first header word in keys[start:stop] (the longest, where several start there).
    `any_header`: the plan's pattern for any of the words."""
    if any_header is None:
        return None
    if not damaged or keys.find("\ufffd", start, stop) < 0:  # clean text: one regex search instead of one per word
        m = any_header.search(keys, start, stop)
        return m.end() if m else None
    nxt = [(p, p + len(h)) for h in headers if (p := next(_occurrences(keys, h, start, stop), -1)) >= 0]
    if not nxt:
        return None
    first = min(p for p, _ in nxt)
    return max(e for p, e in nxt if p == first)


def _later_first(keys: str, rp: _RowPlan, start: int, stop: int, damaged: bool) -> bool:
    """Whether one of the labelled rows just ahead of row `rp` is found in keys[start:stop]; asked only where one of
    their keys occurs (`rp.later`), or the window has mojibake (elsewhere none is found)."""
    return any(_find(keys, a, start, stop, damaged) is not None for a in rp.ahead)


def _values_start(kt: KeyText, table: Table, plan: _Plan, anchor: int) -> tuple[int, int]:
    "For a label-less row: the printed offset just after the last header character, and the key position there."
    end = _header_end(kt, table, plan, anchor)
    values_from = kt.offset(end - 1) + 1
    # offset() rises with k, so the first key at or after that offset is `end` itself: no search through it is
    # needed. (offset(-1) is not the offset before key 0, so an `end` of 0 is still looked up.)
    return values_from, end if end > 0 else kt.key_at(values_from)


def starts(kt: KeyText, table: Table, start: int = 0) -> bool:
    "Whether the table starts after key position `start`: whether locate() would find it, without reading its rows."
    return _anchor(kt, _plan(table), start) is not None


def locate(kt: KeyText, table: Table, start: int = 0) -> TableHit | None:
    "Locate a table after key position `start`; None when its header/labels do not occur."
    plan = _plan(table)
    anchor = _anchor(kt, plan, start)
    if anchor is None:
        return None
    keys, folded, damaged = kt.keys, kt.folded, kt.damaged
    rows: list[RowHit] = []
    cursor = anchor
    for rp in plan.rows:
        stop = cursor + ROW_REACH  # searches stop at the end of the text anyway
        found = _find(keys, rp, cursor, stop, damaged)
        runs_on = rp.runs_on
        if found is None:
            found, runs_on = _find_wrapped(keys, rp, table, cursor, stop, damaged), True  # a head of the label
        # A later row first: this one is missing. Most gaps since the last label (its values) are too short to
        # hold a later row, and in the rest of clean text one search for the later rows' keys mostly rules them out:
        # no Python call for either.
        if found is None or (found[0] - cursor >= rp.later_room and rp.later is not None
                             and ((damaged and keys.find("\ufffd", cursor, found[0]) >= 0)
                                  or rp.later.search(keys, cursor, found[0]) is not None)
                             and _later_first(keys, rp, cursor, found[0], damaged)):
            continue
        begin, at, end = found
        if runs_on:  # only a key that another key begins with, or a head, can run on
            end = _run_on(keys, rp.keys, at, end)
        if keys.startswith("|", end):  # a label cell's border: it may be printed again after it
            end = rp.repeated.match(keys, end).end()
        printed = kt.offset(begin)
        # The key drops only whitespace, which it never holds: where the print reads as the key there, no whitespace
        # falls inside the label, and its end lies as far on in print as in the key (most labels: one lookup).
        printed_end = (printed + end - begin if folded.startswith(keys[begin:end], printed)
                       else kt.offset(end - 1) + 1)
        rows.append(_tuple_new(RowHit, (rp.row, printed, printed_end, end)))
        cursor = end
    values_from, key_end = _values_start(kt, table, plan, anchor) if plan.unlabelled else (0, 0)  # key_at(0) is 0
    if rows:
        key_end = rows[-1].key_end
    return TableHit(table, anchor, tuple(rows), values_from, key_end)
