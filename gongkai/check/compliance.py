"""Format compliance: table version for the year, the six parts in order, period, fee statement, cell values."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from gongkai.check.arithmetic import AMOUNT_CELLS, SIGNED_SUFFIX
from gongkai.check.labels import label, value_text, where, where_text
from gongkai.findings import Finding, Where, finding
from gongkai.formats.schema import FormatSpec, for_year
from gongkai.model import Report
from gongkai.parse.normalize import fold, to_simplified

NUMERALS = "一二三四五六七八九十"
# A part's heading: a top-level list number (一、 第一部分) and the part's words, at most HEADING_MAX characters.
TOP_NUMBER = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.])\s*")
SUB_NUMBER = re.compile(r"^\s*(?:\(\s*[一二三四五六七八九十\d]+\s*\)|\d{1,2}\s*[、.])")
HEADING_MAX = 40
NUMBER_START = frozenset("第" + NUMERALS)  # what a line TOP_NUMBER matches opens with, after blanks
# "2021年1月1日至2021年12月31日", "1月1日起至12月31日止": a stated period even without the word 统计期限.
DATE_SPAN = re.compile(r"1\s*月\s*1\s*日[^。\n]{0,12}?(?:至|到|-|—|~)[^。\n]{0,10}?12\s*月\s*31\s*日")


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cues:
    sections: tuple[Section, ...]
    period: tuple[str, ...]
    fee_from: int
    fee: tuple[str, ...]
    prose: tuple[dict, ...]


@cache
def cues() -> Cues:
    "The words the audit looks for, from check/cues.toml, loaded once."
    raw = tomllib.loads(resources.files("gongkai.check").joinpath("cues.toml").read_text("utf-8"))
    return Cues(tuple(Section(s["name"], tuple(s["words"])) for s in raw["sections"]), tuple(raw["period"]["words"]),
                int(raw["fee"]["from_year"]), tuple(raw["fee"]["words"]), tuple(raw.get("prose", ())))


def plain(report: Report) -> str:
    "The report's text folded (全角→半角) and, if traditional, simplified: same length, offsets shared."
    text = fold(report.text)
    return to_simplified(text) if report.meta.get("script") == "traditional" else text


def headings(text: str) -> list[tuple[int, int, int]]:
    """Where each of the six parts' headings stands: (part index, start, end) in text order, first occurrence each.

    Top-level numbered lines (一、 第一部分) are read first; an unnumbered short line opening with a part's
    words counts only for a part still missing, so 《（一）主动公开方面》 sub-headings never stand in for parts.
    """
    return list(_headings(text))


@lru_cache(maxsize=4)
def _headings(text: str) -> tuple[tuple[int, int, int], ...]:
    "headings(), worked out once per text: the section and fee checks both ask for it."
    sections = cues().sections
    firsts = _openings()[1]
    numbered, plain_lines = [], []  # (start, end, body) of the short lines outside tables, numbered or not
    for m in _heading_lines().finditer("\n" + text):  # the newline put first makes the first line one like the rest
        at = m.start()  # the line's start in text
        end = text.find("\n", at)
        line = text[at:end if end >= 0 else len(text)]
        if "|" in line:
            continue
        body = line.strip()
        n = TOP_NUMBER.match(line) if body[0] in NUMBER_START else None
        if n:
            body = line[n.end():].strip()
            if body and len(body) <= HEADING_MAX:
                numbered.append((at, at + len(line), body))
        elif body[0] in firsts and len(body) <= HEADING_MAX and not SUB_NUMBER.match(line):
            plain_lines.append((at, at + len(line), body))
    found: dict[int, tuple[int, int]] = {}
    for lines, numbered_pass in ((numbered, True), (plain_lines, False)):
        for start, end, body in lines:
            if len(found) == len(sections):
                break
            parts = _parts_named(body) if numbered_pass else _parts_opening(body)
            if parts := parts.difference(found):
                found[min(parts)] = (start, end)
    return tuple(sorted(((i, a, b) for i, (a, b) in found.items()), key=lambda t: t[1]))


@cache
def _openings() -> tuple[frozenset[str], frozenset[str]]:
    "The characters a heading line can open with (after blanks), and of those the first characters of part words."
    firsts = frozenset(w[0] for s in cues().sections for w in s.words)
    return NUMBER_START | firsts, firsts


@cache
def _heading_lines() -> re.Pattern:
    """The start of each line that opens with a character a heading can open with, in a text put after a newline.

    One search that skips from newline to newline in C, instead of a Python step for each of a report's lines.
    """
    return re.compile(r"\n[^\S\n]*+[" + re.escape("".join(sorted(_openings()[0]))) + "]")


def _parts_named(body: str) -> set[int]:
    "The parts (by index) with one of their words anywhere in a heading's body."
    search, opening = _part_words()
    parts: set[int] = set()
    m = search.search(body)
    while m:  # restarted one character on: every place a word starts is visited (see _part_words)
        parts.update(opening[m.group()])
        m = search.search(body, m.start() + 1)
    return parts


def _parts_opening(body: str) -> set[int]:
    "The parts (by index) with one of their words at the start of a heading's body."
    search, opening = _part_words()
    m = search.match(body)
    return set(opening[m.group()]) if m else set()


@cache
def _part_words() -> tuple[re.Pattern, dict[str, tuple[int, ...]]]:
    """One search for the words of every part (longest first), and for each word the parts with a word it begins
    with. The search reports the longest word starting at a place, and any word starting there is a prefix of it,
    so the parts of that word are exactly the parts with a word at that place: one search, not one per part."""
    sections = cues().sections
    words = sorted({w for s in sections for w in s.words}, key=lambda w: (-len(w), w))
    opening = {w: tuple(i for i, s in enumerate(sections) if w.startswith(s.words)) for w in words}
    return re.compile("|".join(map(re.escape, words))), opening


def check_version(report: Report, spec: FormatSpec) -> list[Finding]:
    "A 2019-format table in a report of 2021 on (or the reverse): the year decides the format."
    year = report.meta.get("year")
    if not isinstance(year, int) or year < 2019 or spec.version == "2008":
        return []
    expected = for_year(year)
    if expected.version == spec.version:
        return []
    return [finding("check.format.version", year=year, expected=expected.version, expected_title=expected.title,
                    format=spec.version, where=Where(report.meta.get("source")))]


def check_sections(report: Report, spec: FormatSpec, text: str) -> list[Finding]:
    "The six parts present (a heading for each) and in the prescribed order; the 2008 regulation set no headings."
    if spec.version == "2008":
        return []
    found = headings(text)
    have = {i for i, _, _ in found}
    out = [finding("check.sections.missing", number=NUMERALS[i], section=s.name, where=Where(report.meta.get("source")))
           for i, s in enumerate(cues().sections) if i not in have]
    order = [i for i, _, _ in found]
    if order != sorted(order):
        names = cues().sections
        first_wrong = next(k for k in range(1, len(order)) if order[k] < order[k - 1])
        _, a, b = found[first_wrong]
        out.append(finding("check.sections.order", found="、".join(names[i].name for i in order),
                           expected="、".join(names[i].name for i in sorted(order)), where=where_text(report, a, b)))
    return out


def _says(text: str, words: tuple[str, ...], start: int = 0) -> bool:
    "Whether the text, from `start` on, holds one of the words, whitespace between their characters ignored."
    return _spaced(words).search(text, start) is not None


@cache
def _spaced(words: tuple[str, ...]) -> re.Pattern:
    """One search for any of the words (which hold no whitespace) allowing whitespace between their characters:
    the same as looking for them in the text with its whitespace squeezed out, without building that text."""
    return re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in words))


def check_period(report: Report, text: str) -> list[Finding]:
    "The statistics period stated: 统计期限 or a span 1月1日…至…12月31日 anywhere in the text."
    if _says(text, cues().period) or DATE_SPAN.search(text):
        return []
    return [finding("check.period.missing", year=report.meta.get("year") or "××××", where=Where(report.meta.get("source")))]


def check_fee(report: Report, spec: FormatSpec, text: str) -> list[Finding]:
    "From report year 2021 the 信息处理费 collected is reported in part 六 (国办函〔2020〕109号)."
    year = report.meta.get("year")
    if not isinstance(year, int) or year < cues().fee_from or spec.version == "2008":
        return []
    six = next((a for i, a, _ in headings(text) if i == 5), None)
    if _says(text, cues().fee, six or 0):
        return []
    place = "第六部分“其他需要报告的事项”中" if six is not None else "报告中"
    return [finding("check.fee.statement_missing", year=year, place=place, where=Where(report.meta.get("source")))]


def check_blanks(report: Report, spec: FormatSpec) -> list[Finding]:
    "Printed blanks where the table asks for a number: one warning per table, naming the blank cells."
    if None not in report.cells.values():  # the common case, told in one pass in C
        return []
    out = []
    for table in spec.tables:
        blank = [c for c in table.cells if c in report.cells and report.cells[c] is None]
        if not blank:
            continue
        shown = "、".join(label(c) for c in blank[:5]) + (f" 等 {len(blank)} 格" if len(blank) > 5 else "")
        out.append(finding("check.cell.blank", table=table.title or table.id, count=len(blank), cells_text=shown,
                           cells=blank, where=Where(report.meta.get("source"))))
    return out


def check_values(report: Report) -> list[Finding]:
    "Values that cannot be: negative counts (only 本年增/减 may be), fractions of a count (only amounts may be)."
    numbers = report.cells.values()
    # The common case, told in C: no value below 0, and only ints (a float among them would make the sum one).
    if min(filter(None, numbers), default=0) >= 0 and type(sum(filter(None, numbers))) is int:
        return []
    out = []
    for cell, v in report.cells.items():
        if v is None or (type(v) is int and v >= 0):  # a whole count, nothing to say
            continue
        if v < 0 and not cell.endswith(SIGNED_SUFFIX):
            out.append(finding("check.value.negative", cell_label=label(cell), value=value_text(v), cells=(cell,),
                               suspect=cell, where=where(report, cell)))
        elif not float(v).is_integer() and cell not in AMOUNT_CELLS:
            out.append(finding("check.value.fraction", cell_label=label(cell), value=value_text(v), cells=(cell,),
                               suspect=cell, where=where(report, cell)))
    return out


def check_compliance(report: Report, spec: FormatSpec, text: str | None = None) -> list[Finding]:
    "Every compliance finding of one report; the text checks run only when the report carries its text."
    out = check_version(report, spec)
    if report.text:
        text = text if text is not None else plain(report)
        out += check_sections(report, spec, text) + check_period(report, text) + check_fee(report, spec, text)
    return out + check_blanks(report, spec) + check_values(report)
