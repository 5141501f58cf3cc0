"""Find a statutory table in the key text: its anchor, then each row label in order, tolerating omitted rows."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from gongkai.formats.schema import Row, Table
from gongkai.parse.normalize import KeyText

CLUSTER_WINDOW = 300  # key chars in which a table's header words and labels cluster
CLUSTER_SIZE = 3  # distinct words that make a cluster (prose rarely names three table headings that close)
ROW_REACH = 1500  # key chars between consecutive rows beyond which the next label is no longer this table's
LOOKAHEAD = 4  # later rows checked so that a missing row does not swallow the rows after it
SHORT_KEY = 3  # keys this short (其他, 总计) must carry their list number to count
WRAPPED_KEY = 12  # labels this long may wrap inside their cell; a head of 3/5 of them still names the row
TABLE_RULE = "|-:"  # key characters of cell borders and markdown rule rows


@dataclass(frozen=True, slots=True)
class RowHit:
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
    """Where the key occurs in keys[start:stop], in order; in a text with mojibake, counting also spots where at
    most one in three of its characters is damaged (a damaged label must not lose its row of clean cells)."""
    if len(key) >= 3 and keys.find("\ufffd", start, stop) >= 0:
        yield from (m.start() for m in _damaged(key).finditer(keys, start, stop)
                    if m.group().count("\ufffd") <= len(key) // 3)
        return
    pos = start
    while (p := keys.find(key, pos, stop)) >= 0:
        yield p
        pos = p + 1


def _find(keys: str, row: Row, start: int, stop: int) -> tuple[int, int, int] | None:
    "First occurrence of the row's label in keys[start:stop]: (label start with number, key start, key end)."
    best = None
    forms = _numerals(row.number)
    for k in row.keys:
        if not k:
            continue
        for p in _occurrences(keys, k, start, stop):
            prefix = next((f for f in forms if keys.startswith(f, p - len(f)) and p - len(f) >= start), None)
            if prefix is not None or len(k) > SHORT_KEY or not forms:
                begin = p - len(prefix) if prefix else p
                if best is None or p < best[1]:
                    best = (begin, p, p + len(k))
                break
    return best


def _find_wrapped(keys: str, row: Row, table: Table, start: int, stop: int) -> tuple[int, int, int] | None:
    """A long label wrapped inside its cell, its tail printed after the row's values (PDF tables): found by a
    head of the label that no other row of the table begins with."""
    others = [k for r in table.rows if r is not row for k in r.keys if k]
    for k in row.keys:
        if len(k) < WRAPPED_KEY:
            continue
        head = k[:max(WRAPPED_KEY * 2 // 3, len(k) * 3 // 5)]
        if any(o.startswith(head) for o in others):
            continue
        hit = _find(keys, Row(row.label, (head,), row.number, row.cells), start, stop)
        if hit is not None:
            begin, at, end = hit
            while end - at < len(k) and end < len(keys) and keys[end] == k[end - at]:
                end += 1  # the label runs on as far as its cell printed it
            return begin, at, end
    return None


def _past_repeats(keys: str, row: Row, end: int) -> int:
    "A merged label cell spanning columns repeats in each (`标签 | 标签 | 12 |`): read values after the last copy."
    forms = ("",) + _numerals(row.number)
    while True:
        j = end
        while j < len(keys) and keys[j] == "|":
            j += 1
        nxt = next((j + len(f) + len(k) for f in forms for k in row.keys if k and keys.startswith(f + k, j)), None)
        if j == end or nxt is None:
            return end
        end = nxt


def _anchor(kt: KeyText, table: Table, start: int) -> int | None:
    "Where the table begins: the first spot after `start` where several of its header words and labels cluster."
    keys = kt.keys
    words = [h for h in table.headers if len(h) >= 4] + [k for r in table.rows for k in r.keys if len(k) >= 4]
    hits: list[tuple[int, str]] = []
    for w in dict.fromkeys(words):
        p = keys.find(w, start)
        while p >= 0:
            hits.append((p, w))
            p = keys.find(w, p + len(w))
    hits.sort()
    for i, (p, _) in enumerate(hits):
        seen = {w for q, w in hits[i:i + 40] if q - p <= CLUSTER_WINDOW}
        if len(seen) >= min(CLUSTER_SIZE, len(set(words))):
            return p
    return None


def _header_end(kt: KeyText, table: Table, anchor: int) -> int:
    "Key position after the run of header words that starts at the anchor (label-less rows read from there)."
    keys, pos = kt.keys, anchor
    while True:
        look = pos
        while look < len(keys) and keys[look] in TABLE_RULE:  # a markdown rule row (|---|---|) between header rows
            look += 1
        nxt = [(p, p + len(h)) for h in table.headers if (p := keys.find(h, look, look + 60)) >= 0]
        if not nxt:
            return pos
        first = min(p for p, _ in nxt)
        pos = max(e for p, e in nxt if p == first)  # the longest header word starting there


def locate(kt: KeyText, table: Table, start: int = 0) -> TableHit | None:
    "Locate a table after key position `start`; None when its header/labels do not occur."
    anchor = _anchor(kt, table, start)
    if anchor is None:
        return None
    keys = kt.keys
    rows: list[RowHit] = []
    cursor = anchor
    for i, row in enumerate(table.rows):
        if not row.keys[0]:
            continue
        found = _find(keys, row, cursor, min(len(keys), cursor + ROW_REACH)) or \
            _find_wrapped(keys, row, table, cursor, min(len(keys), cursor + ROW_REACH))
        if found is None:
            continue
        later = [f for r in table.rows[i + 1:i + 1 + LOOKAHEAD] if r.keys[0]
                 and (f := _find(keys, r, cursor, found[0])) is not None]
        if later:  # a later row stands first: this one is missing here
            continue
        begin, _, end = found
        end = _past_repeats(keys, row, end)
        rows.append(RowHit(row, kt.offset(begin), kt.offset(end - 1) + 1, end))
        cursor = end
    values_from = 0
    if any(not r.keys[0] for r in table.rows):  # just after the last header character, before any blank cell
        values_from = kt.offset(_header_end(kt, table, anchor) - 1) + 1
    key_end = rows[-1].key_end if rows else kt.key_at(values_from)
    return TableHit(table, anchor, tuple(rows), values_from, key_end)

