"""Prose ↔ table: figures the report states in sentences compared with the table cells they restate."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Iterator

from gongkai.check.compliance import cues, plain
from gongkai.check.labels import label, value_text, where_text
from gongkai.findings import Finding, finding
from gongkai.formats.schema import FormatSpec
from gongkai.model import Number, Report
from gongkai.parse.values import number

GAP = 20  # characters allowed between a cue and its count: further away, the count belongs to something else
NEAR = 3  # characters allowed between a count's unit and a cue that follows it ("29件是自然人")
LEAD = 6  # characters allowed between a lead word and the count after it ("制发的10件")
CLAUSE_BREAK = "，,。；;：:！!？?()|\n"  # a count is never read across these
NEGATION = "不未无没"


@dataclass(frozen=True, slots=True)
class Statement:
    "A figure the prose restates: cue words, the count's units, and the table cells whose sum it must equal."

    cells: tuple[str, ...]
    cues: tuple[str, ...]
    units: tuple[str, ...]
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    before: bool = False
    lead: tuple[str, ...] = ()
    pattern: re.Pattern = field(init=False, repr=False, compare=False)  # compiled once: read for every line

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", _pattern(self.cues, self.units, self.before))


def _pattern(cue_words: tuple[str, ...], units: tuple[str, ...], before: bool) -> re.Pattern:
    cue = "|".join(map(re.escape, sorted(cue_words, key=len, reverse=True)))
    unit = "|".join(map(re.escape, units))
    gap = "[^\\d" + re.escape(CLAUSE_BREAK) + "]"
    count = r"(?P<n>\d+(?:,\d{3})*)\s*(?:" + unit + ")"
    if before:
        return re.compile(count + gap + "{0,%d}?(?P<cue>%s)" % (NEAR, cue))
    return re.compile("(?P<cue>%s)(?P<gap>%s{0,%d}?)%s" % (cue, gap, GAP, count))


@cache
def statements() -> tuple[Statement, ...]:
    "The statements of check/cues.toml's [[prose]] list."
    return tuple(Statement(tuple(p["cells"]), tuple(p["cues"]), tuple(p["units"]), tuple(p.get("context", ())),
                           tuple(p.get("exclude", ())), bool(p.get("before")), tuple(p.get("lead", ())))
                 for p in cues().prose)


@dataclass(frozen=True, slots=True)
class Stated:
    "One figure read from a sentence: which statement, the number, and where it stands in the text."

    statement: Statement
    value: Number
    start: int  # the number's offsets in the report's text
    end: int
    quote_start: int  # the quoted phrase, cue through count
    quote_end: int


@cache
def _statement_cells() -> tuple[frozenset[str], ...]:
    "The cells of each statement as a set: whether a report has them all is then one test in C."
    return tuple(frozenset(s.cells) for s in statements())


def _is_prose(line: str) -> bool:
    "Whether a line is running text: table rows (pipes, or bare numbers one per line) are never prose."
    return "|" not in line and len(line.strip()) >= 4


@cache
def _cue_search() -> tuple[re.Pattern, dict[str, tuple[int, ...]]]:
    """One search for the cue words of every statement (longest first), and for each word the statements (by
    index) with a cue it begins with: where the search finds a word, each of those statements has a cue there."""
    stmts = statements()
    words = sorted({w for s in stmts for w in s.cues}, key=lambda w: (-len(w), w))
    opening = {w: tuple(k for k, s in enumerate(stmts) if any(w.startswith(c) for c in s.cues)) for w in words}
    return re.compile("|".join(map(re.escape, words))), opening


@cache
def _anchors() -> dict[str, tuple[int, ...]]:
    """Words a line must hold for statements to be read in it (word → the statements, by index): a statement's
    context words unless they outnumber its cues (申请 rather than a dozen cues; on a tie the context word, which
    the other statements share, so the text is searched for fewer words), else its cues. A statement is only
    read in a line with a cue and a context word, so either kind may stand for it. They are looked for with
    str.find, several times quicker over CJK text than a search for every cue at once."""
    out: dict[str, list[int]] = {}
    for k, s in enumerate(statements()):
        for w in s.context if s.context and len(s.context) <= len(s.cues) else s.cues:
            out.setdefault(w, []).append(k)
    return {w: tuple(ks) for w, ks in out.items()}


def _prose_lines(text: str, usable: set[int]) -> dict[int, tuple[str, set[int]]]:
    "The lines of running text holding an anchor of a usable statement: start offset → (line, those statements)."
    lines: dict[int, tuple[str, set[int]] | None] = {}  # None: a table row
    for word, admitted in _anchors().items():
        admitted = usable.intersection(admitted)
        at = text.find(word) if admitted else -1
        while at >= 0:
            base = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            if base not in lines:
                line = text[base:end]
                lines[base] = (line, set()) if _is_prose(line) else None
            if lines[base] is not None:
                lines[base][1].update(admitted)
            at = text.find(word, end)
    return {base: got for base, got in lines.items() if got is not None}


def _cue_places(line: str, admitted: set[int]) -> dict[int, list[int]]:
    """For each admitted statement with a cue in the line, the offsets where one of its cues starts.

    The search restarts one character on after each word, so it stops at every place a word starts and reports
    the longest one: any cue starting there is a prefix of that word.
    """
    search, opening = _cue_search()
    places: dict[int, list[int]] = {}
    m = search.search(line)
    while m:
        for k in opening[m.group()]:
            if k in admitted:
                places.setdefault(k, []).append(m.start())
        m = search.search(line, m.start() + 1)
    return places


def _matches(s: Statement, line: str, cue_offsets: list[int]) -> Iterator[re.Match]:
    """What `s.pattern.finditer(line)` yields. A pattern that opens with its cue can only match where a cue
    starts, so it is tried there alone rather than searched for across a long paragraph. A pattern that ends
    with its cue needs a unit at most NEAR characters before one: without, the search (which tries every digit
    of the paragraph) is skipped."""
    if s.before:
        if any(_unit_before(s, line, at) for at in cue_offsets):
            yield from s.pattern.finditer(line)
        return
    after = 0  # finditer resumes where its last match ended
    for at in cue_offsets:
        if at >= after and (m := s.pattern.match(line, at)):
            after = m.end()
            yield m


def _unit_before(s: Statement, line: str, cue_at: int) -> bool:
    "Whether one of the statement's units ends at most NEAR characters before a cue."
    near = line[max(0, cue_at - NEAR - max(map(len, s.units))):cue_at]
    return any(map(near.__contains__, s.units))


def read_statements(text: str, report_cells: dict) -> list[Stated]:
    "Every statement of a figure in the text whose table cells the report has, in text order."
    out: list[Stated] = []
    stmts = statements()
    usable = {k for k, cells in enumerate(_statement_cells()) if report_cells.keys() >= cells}
    if not usable:
        return out
    lines = _prose_lines(text, usable)
    for base in sorted(lines):
        line, admitted = lines[base]
        places = _cue_places(line, admitted)
        for k in sorted(places):
            s = stmts[k]
            if s.context and not any(w in line for w in s.context):
                continue
            for m in _matches(s, line, places[k]):
                cue_at = m.start("cue")
                if cue_at > 0 and line[cue_at - 1] in NEGATION:
                    continue
                if not s.before and any(w in m.group("gap") for w in s.exclude):
                    continue
                if s.lead and not any(w in line[max(0, m.start("n") - LEAD - 2):m.start("n")] for w in s.lead):
                    continue
                out.append(Stated(s, number(m.group("n")), base + m.start("n"), base + m.end("n"),
                                  base + m.start(), base + m.end()))
    return sorted(out, key=lambda t: t.start)


def stated_values(report: Report, found: list[Stated] | None = None) -> dict[str, set[Number]]:
    "Single-cell figures the prose states, per cell: the arithmetic's tie-break between equally likely suspects."
    if not report.text:
        return {}
    out: dict[str, set[Number]] = {}
    for st in found if found is not None else read_statements(plain(report), report.cells):
        if len(st.statement.cells) == 1:
            out.setdefault(st.statement.cells[0], set()).add(st.value)
    return out


def check_prose(report: Report, spec: FormatSpec, found: list[Stated] | None = None) -> list[Finding]:
    """A warning for each figure the prose states differently from the table, quoting both places.

    The 2008-format cells are themselves read from the prose, so there is nothing to compare them with.
    """
    if not report.text or spec.version == "2008":
        return []
    out = []
    seen = set()
    for st in found if found is not None else read_statements(plain(report), report.cells):
        cells = st.statement.cells
        table = sum(report.cells.get(c) or 0 for c in cells)
        if abs(table - st.value) < 1e-6 or (cells, st.value) in seen:
            continue
        seen.add((cells, st.value))
        w = where_text(report, st.quote_start, st.quote_end)
        quote = report.text[st.quote_start:st.quote_end]
        name = label(cells[0]) if len(cells) == 1 else "、".join(label(c) for c in cells[:3]) + (
            " 等之和" if len(cells) > 3 else " 之和")
        out.append(finding("check.prose.mismatch", line=w.line, quote=quote, prose_value=value_text(st.value),
                           cell_label=name, table_value=value_text(table), cells=cells,
                           suspect=cells[0] if len(cells) == 1 else None, where=w))
    return out
