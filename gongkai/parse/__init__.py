"""Parse stage: Document → Report. Detect the format, locate its tables, read and solve the cells, read meta."""
from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from gongkai.findings import Finding, Where, finding
from gongkai.formats.schema import FormatSpec, Rule, for_year, load
from gongkai.model import Document, Provenance, Report
from gongkai.parse.locate import TableHit, locate, starts
from gongkai.parse.meta import find_agency, find_published, find_year
from gongkai.parse.normalize import KeyText, script_of
from gongkai.parse.prose import prose_figures
from gongkai.parse.solve import (
    RowRead,
    Value,
    all_tiers,
    as_printed,
    first_tier,
    only_cut,
    reading_tiers,
    printed,
    solve,
    trimmed,
)
from gongkai.parse.values import Token, tokens
from gongkai.read.errors import UnreadableError

__all__ = ["parse"]

_tuple_new = tuple.__new__
CUMULATIVE = "#cumulative"
_SEVERAL = re.compile(r"^0\d+$", re.MULTILINE)  # a printed run no single number can be: "00", "0123"
_ZERO_FIRST = re.compile(r"^0", re.MULTILINE)  # a number printed starting with 0  # suffix of the dropped 历年累计 column's working id


def detect(kt: KeyText, year: int | None) -> FormatSpec:
    "Which statutory format the tables follow: by the words only one version prints, then by the year."
    newer = sum(1 for m in load("2021").markers if m in kt.keys)
    # The 2019 words are counted only until they surely number more or fewer (mostly at the first: absent from a
    # 2021 report, present in a 2019 one), rather than each searched for through the whole text.
    older, left = 0, len(load("2019").markers)
    for m in load("2019").markers:
        older += m in kt.keys
        left -= 1
        if older > newer or older + left < newer:
            return load("2019") if older > newer else load("2021")
    if starts(kt, load("2021").table("requests")):
        return load("2021") if (year or 2021) >= 2021 else load("2019")
    return load("2008") if year is None or year <= 2018 else for_year(year)


class _RowTokens(NamedTuple):  # one per row: a tuple is cheaper to build than a frozen dataclass
    label: str
    cells: tuple[str, ...]
    keep: int  # how many leading cells are reported (a trailing 历年累计 column is read, then dropped)
    tokens: list[Token]
    year_only: bool  # the row may print only the year's column of a 历年累计 table


def _row_tokens(doc: Document, kt: KeyText, hit: TableHit, end_offset: int) -> list[_RowTokens]:
    "Each located row with its value tokens (the text from its label to the next label)."
    text, folded, table = doc.text, kt.folded, hit.table
    starts = sorted([h.start for h in hit.rows] + [end_offset])
    cumulative = table.cumulative_header is not None and table.cumulative_header in kt.keys[
        hit.anchor:hit.rows[0].key_end if hit.rows else hit.anchor + 400]
    rows = []
    for h in hit.rows:
        row = h.row
        if not (cells := row.cells):
            continue
        i = bisect.bisect_right(starts, h.start)  # the next label, or the table's end
        toks = tokens(text, folded, h.end, starts[i] if i < len(starts) else end_offset)
        read = cells + (cells[0] + CUMULATIVE,) if cumulative else cells
        # tuple.__new__ skips _RowTokens' generated __new__, a Python call per row
        rows.append(_tuple_new(_RowTokens, (row.label, read, len(cells), toks, cumulative)))
    for row in table.rows:
        if not row.keys[0]:  # the label-less row (复议/诉讼 figures under their headers)
            toks = tokens(text, folded, hit.values_from, end_offset, labelled=False)
            rows.append(_RowTokens(table.title, row.cells, len(row.cells), toks, False))
    return rows


def _reads(rows: list[_RowTokens]) -> list[RowRead]:
    """Each row's readings. Where any row prints a run no single number can be ("0000000"), the document runs
    its cells together, and every digit run in it may be several cells; elsewhere only runs printed right
    after a label are."""
    texts = "\n".join([t.text for r in rows for t in r.tokens])  # one search over all, not a test per token
    runs = _SEVERAL.search(texts) is not None
    # The tokens marked glued are kept beside the rows, not put back by _replace: a Python-level method per row.
    token_lists = ([[t if t.glued else _tuple_new(Token, (*t[:4], True)) for t in r.tokens] for r in rows] if runs
                   else [r.tokens for r in rows])
    # Most rows need no search: each token one cell (where no run starts with 0, no token is several cells), or
    # in the common glued row ("0000000") each digit one cell. None for a row that does.
    at_once: list[list[tuple[Value, ...]] | None] = []
    for r, marked in zip(rows, token_lists):
        n = len(r.cells)
        toks = marked if len(marked) <= n else trimmed(marked, n)
        if len(toks) == n:
            at_once.append([printed(toks)] if not runs else as_printed(toks, n))
        else:
            cut = only_cut(toks) if len(toks) < n else None
            at_once.append([cut] if cut is not None and len(cut) == n else None)
    # An author who leaves cells blank rather than printing 0 shows it by a row with nothing printed, by a row
    # with fewer digits than cells, or by never printing a cell of 0 (no run starts with 0). There, readings that
    # put back dropped blank cells are as likely as the fewest-blank ones, and all are kept, even where the same
    # report prints some zeros; elsewhere the fewest-blank readings are taken first. (A row read at once has
    # digits enough for its cells: not asked again.)
    blank_author = (any(not marked or readings is None and _too_few_digits(marked, r.keep)
                        for r, marked, readings in zip(rows, token_lists, at_once))
                    or _ZERO_FIRST.search(texts) is None)
    reads = []
    for r, marked, readings in zip(rows, token_lists, at_once):
        n = len(r.cells)
        if readings is not None:
            tiers = iter(())
        else:
            tiers = reading_tiers(marked, n)
            if blank_author:
                tiers = iter([all_tiers(tiers)])
            readings = next(tiers, None) or []
        if r.year_only:  # tables announcing 历年累计 often print only the year's column
            year_only = next(reading_tiers(marked, n - 1), None) or []
            readings += [o + (Value(None, o[-1].end, o[-1].end),) for o in year_only]
        reads.append(_tuple_new(RowRead, (r.label, r.cells, marked, readings or first_tier(tiers), r.keep, tiers,
                                          blank_author)))
    return reads


def _too_few_digits(tokens: list[Token], keep: int) -> bool:
    "Even one digit a cell, the printed numbers cannot fill the row's `keep` cells: blank cells were dropped."
    most = 0  # the most numbers the tokens can be read as
    for t in tokens:
        if t.kind != "num":
            return False
        most += len(t.text) if t.splittable else 1
    return most < keep


def _cumulative_rules(reads: list[RowRead]) -> tuple[Rule, ...]:
    "The year's figure cannot exceed 历年累计: the only identity a prose-era 附表 offers a split."
    return tuple(Rule("parse.cumulative", "le", (r.cells[0],), (r.cells[-1],)) for r in reads
                 if r.cells[-1].endswith(CUMULATIVE))


class _Lines:
    """Line numbers and line text of offsets in the printed text. Lines are counted on from the line last asked
    for, not indexed up front: parse asks about a few offsets, mostly in order, in a text of few long lines."""

    def __init__(self, text: str):
        self.text = text
        self.number, self.begin = 1, 0  # the line last asked for, and its span
        self.end = self._end_of(0)

    def _end_of(self, offset: int) -> int:
        end = self.text.find("\n", offset)
        return end if end >= 0 else len(self.text)

    def _go_to(self, offset: int) -> None:
        "Make the line holding offset the current one."
        text = self.text
        if offset > self.end:
            self.number += text.count("\n", self.end, offset)
            self.begin = text.rfind("\n", self.end, offset) + 1
        elif offset < self.begin:
            self.number -= text.count("\n", offset, self.begin)
            self.begin = text.rfind("\n", 0, offset) + 1
        else:
            return
        self.end = self._end_of(offset)

    def at(self, offset: int) -> tuple[int, str]:
        return self.around(offset)[:2]

    def around(self, offset: int) -> tuple[int, str, int, int]:
        """The line number and snippet of an offset, and the span of text the snippet shows: values printed
        inside it share both (a row's cells do)."""
        self._go_to(offset)
        begin, end = self.begin, self.end
        if end - begin > 160:  # a whole glued table on one line: keep the neighbourhood of the value
            lo = begin + max(0, offset - begin - 60)
            hi = min(lo + 160, end)
            return self.number, self.text[lo:hi].strip(), offset, hi
        return self.number, self.text[begin:end].strip(), begin, end


def parse(doc: Document) -> Report:
    "Read a Document into a Report: cells exactly as printed, each with where it was read, and findings."
    script = script_of(doc.text)
    kt = KeyText.of(doc.text, traditional=script == "traditional")
    year = find_year(kt.folded)
    spec = detect(kt, year)
    findings: list[Finding] = list(doc.findings)

    prose = prose_figures(kt.folded, spec.prose)
    start = 0
    hits = []
    for table in spec.tables:
        hit = locate(kt, table, start)
        if hit is None:
            if spec.version != "2008":
                findings.append(finding("parse.table.missing", table=table.title))
            continue
        hits.append(hit)
        start = hit.key_end
    row_tokens: list[_RowTokens] = []
    for i, hit in enumerate(hits):
        end = kt.offset(hits[i + 1].anchor) if i + 1 < len(hits) else len(doc.text)
        row_tokens += _row_tokens(doc, kt, hit, end)
        found = {h.row.label for h in hit.rows}
        for row in hit.table.rows:
            if row.cells and row.keys[0] and row.label not in found:
                findings.append(finding("parse.row.missing", table=hit.table.title, row=row.label, cells=row.cells))

    reads = _reads(row_tokens)
    hints = {c: v.value for c, v in prose.items()}
    solution = solve(reads, spec.rules + _cumulative_rules(reads), hints)
    lines = _Lines(doc.text)
    for r in solution.unsolved:
        n = r.keep
        if r.tokens and all(t.kind == "num" for t in r.tokens) and any(t.splittable for t in r.tokens) and \
                len(r.tokens) < len(r.cells):
            findings.append(finding("parse.split.unsolved", row=r.label, digits=r.digits, cells=r.cells[:n]))
        else:
            snippet = lines.at(r.tokens[0].start)[1] if r.tokens else ""
            findings.append(finding("parse.row.count", row=r.label, expected=len(r.cells), found=len(r.tokens),
                                    snippet=snippet, cells=r.cells[:n]))
    for r, count in solution.ambiguous:
        left_out = [c for c in r.cells[:r.keep] if c not in solution.values]
        findings.append(finding("parse.split.ambiguous", row=r.label, digits=r.digits,
                                count=count if count > 0 else "多", cells=left_out))
    for r in reads:
        if len(r.options) > 1 and all(c in solution.values for c in r.cells):
            findings.append(finding("parse.split.solved", row=r.label, digits=r.digits,
                                    values="|".join(_shown(solution.values[c].value) for c in r.cells[:r.keep]),
                                    cells=r.cells[:r.keep]))
    values = solution.values  # also the dropped 历年累计 columns, never asked for: their ids are not the format's
    for c, v in prose.items():  # prose-era figures: the 附表 wins where it printed one
        if c in spec.cells and c not in values:
            values[c] = v
    cells, provenance = {}, {}
    loc_at, located = doc.loc_at, bool(doc.locs)
    line = snippet = None
    lo = hi = -1  # the text the last snippet shows: a row's cells mostly stand in it
    # Every cell of every report passes here: one loop filling both dicts, not a list of pairs and a dict
    # comprehension over it, and no per-cell calls but the dict's get.
    get = values.get
    for c in spec.cells:
        v = get(c)
        if v is None:
            continue
        value, start, end, how = v
        cells[c] = value
        if value is not None:
            if not (lo <= start and end <= hi):
                line, snippet, lo, hi = lines.around(start)
            provenance[c] = _tuple_new(Provenance, (start, end, line, snippet, loc_at(start) if located else None, how))

    if not hits and not any(c in values for c in spec.cells) and "公开" not in kt.keys:
        raise UnreadableError("read.not_report", doc.source, detail="文中没有政府信息公开年报的表格或数字")
    findings += _reading_findings(doc, kt, script, year, spec)
    agency, region = find_agency(kt.folded, doc.title and _title_agency(doc.title))
    if agency is None:
        findings.append(finding("parse.agency.unknown"))
    meta = {"year": year, "format": spec.version, "agency": agency, "region": region,
            "published": doc.published or find_published(kt.folded), "script": script,
            "sha256": doc.sha256, "source": doc.source, "container": doc.container}
    return Report(meta, cells, provenance, tuple(findings), doc.text)


def _shown(value: float | None) -> str:
    return "空" if value is None else str(value)


def _title_agency(title: str) -> str | None:
    m = re.match(r"^([\u4e00-\u9fff]{2,40}?)\s*(?:19|20)\d{2}\s*年", title.strip())
    return m.group(1) if m else None


def _reading_findings(doc: Document, kt: KeyText, script: str, year: int | None, spec: FormatSpec) -> list[Finding]:
    out = []
    bad = doc.text.count("\ufffd")
    if bad:
        first = doc.text.index("\ufffd")
        line = doc.text.count("\n", 0, first) + 1
        snippet = doc.text[max(0, first - 15):first + 15].replace("\n", " ")
        out.append(finding("read.damaged_chars", count=bad, line=line, snippet=snippet,
                           where=Where(doc.source, (first, first + 1), line, None, snippet)))
    if script == "traditional":
        out.append(finding("read.script.traditional"))
    if year is None:
        out.append(finding("parse.year.unknown"))
    elif spec.version != "2008" and not spec.covers(year) and year >= 2019:
        out.append(finding("parse.format.year_mismatch", format=spec.version, year=year,
                           expected=for_year(year).version))
    return out
