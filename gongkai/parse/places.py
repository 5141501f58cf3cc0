"""China's administrative divisions (cpca's adcode table) to tell a report's region from the names it prints."""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# cpca ships the national adcode table; we read its data file directly because importing cpca itself
# pulls in pandas and costs ~1.5 ms per lookup, a thousand times our per-report budget (bench/parse_speed.py).
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|地区|新区|盟|旗|省|市|区|县)$")


@dataclass(frozen=True, slots=True)
class Place:
    code: str  # 12-digit adcode
    name: str

    @property
    def level(self) -> int:
        "1 province, 2 prefecture, 3 county."
        c = self.code
        return 1 if c[2:6] == "0000" else 2 if c[4:6] == "00" else 3

    @property
    def short(self) -> str:
        "The name without its suffix (滨江区 → 滨江), used when text omits the suffix."
        s = _SUFFIX.sub("", self.name)
        return s if len(s) >= 2 else self.name


@cache
def _table() -> tuple[dict[str, Place], dict[str, list[Place]]]:
    spec = importlib.util.find_spec("cpca")
    by_code: dict[str, Place] = {}
    by_name: dict[str, list[Place]] = {}
    if spec is None or not spec.submodule_search_locations:
        return by_code, by_name
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            p = Place(row["adcode"], row["name"])
            by_code[p.code] = p
            by_name.setdefault(p.name, []).append(p)
    return by_code, by_name


def parents(place: Place) -> list[Place]:
    "The province and prefecture above a place, top first."
    by_code = _table()[0]
    out = []
    for code in (place.code[:2] + "0" * 10, place.code[:4] + "0" * 8):
        if code != place.code and code in by_code:
            out.append(by_code[code])
    return out


def full_name(place: Place) -> str:
    "浙江省杭州市滨江区: the place with every level above it."
    return "".join(p.name for p in parents(place)) + place.name


@cache
def _endings() -> tuple[str, dict[str, tuple[int, ...]], frozenset[str]]:
    """Division names end in one of a dozen characters (县 区 市 旗 州 …): those characters, the lengths of the
    names ending in each two-character tail, and the names themselves."""
    names = frozenset(n for n in _table()[1] if len(n) >= 2)
    lengths: dict[str, set[int]] = {}
    for n in names:
        lengths.setdefault(n[-2:], set()).add(len(n))
    return "".join(sorted({n[-1] for n in names})), {tail: tuple(sorted(ls)) for tail, ls in lengths.items()}, names


@cache
def _support() -> dict[str, tuple[tuple[str, str], ...]]:
    "Each division's code → the name and short name of every level above it: what find_region looks for."
    return {code: tuple((q.name, q.short) for q in parents(p)) for code, p in _table()[0].items()}


def _mentions(text: str) -> dict[str, int]:
    """Division names in the text, counting only the longest name at each place (金东区, not 东区 inside it).

    Every occurrence is found by trying, at each name-ending character, the names that end in those two
    characters: the same matches an Aho–Corasick pass over all 3,000 names gives, some twenty times faster.
    The ending characters are found one at a time with str.find, which skips ahead in C several times faster
    than a regex trying a character class at every position.
    """
    last, lengths, names = _endings()
    found = []
    for c in last:
        end = text.find(c) + 1
        while end:
            for n in lengths.get(text[end - 2:end], ()):
                if n <= end and (name := text[end - n:end]) in names:
                    found.append((end - n, -n, name))
            end = text.find(c, end) + 1
    found.sort()
    counts: dict[str, int] = {}
    reach = -1
    for start, minus_n, name in found:
        end = start - minus_n - 1
        if end <= reach:
            continue
        reach = end
        counts[name] = counts.get(name, 0) + 1
    return counts


def find_region(text: str, agency: str | None) -> Place | None:
    """The lowest-level division the report is about: one named in the agency first, else the one the text
    names most; a candidate whose parent city or province is also named beats a namesake elsewhere."""
    by_name = _table()[1]
    if not by_name:
        return None
    support = _support()
    in_agency = _mentions(agency or "")
    head = text[:2500]
    counts = _mentions(head + "\n" + text[-600:])  # where reports name themselves: title, intro, signature
    named = set(counts) | set(in_agency)
    best, choice = None, None
    for name in named:
        for p in by_name[name]:
            backed = sum(1 for above, short in support[p.code] if above in named or short in head)
            score = (name in in_agency, backed, p.level, counts.get(name, 0), len(name))
            if best is None or score > best:
                best, choice = score, p
    return choice
