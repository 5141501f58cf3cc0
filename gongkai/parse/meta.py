"""A report's meta: the year it covers, the issuing agency's full name, its region, the publication date."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from gongkai.parse.places import Place, find_region, full_name, parents

_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|周期|范围)[^。\n]{0,20}?((?:19|20)\d{2})\s*年")
# 「2021年1月1日至12月31日」 and a title 「2021年度…政府信息公开工作年度报告」, each from its 年 on: a pattern that starts
# with a literal is scanned for in a tight loop, where one starting with (?:19|20) is tried at every 1 and 2.
# The year before the 年 is read by _year_before.
_SPAN = re.compile(r"年\s*1\s*月\s*1\s*日[^。\n]{0,6}?(?:至|到|-|~)\s*(?:(?:19|20)\d{2}\s*年\s*)?12\s*月\s*31\s*日")
_TITLE = re.compile(r"年\s*度?\s*[^。\n]{0,40}?(?:政府信息公开|政务公开|信息公开)[^。\n]{0,12}?(?:年度)?(?:工作)?(?:年度)?报告")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d{2}")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
# 发布时间|发布日期|发文日期|成文日期|日期|时间, then the date. Each label ends in 日期 or 时间 and is followed by the same
# date whichever label is read there, so the two patterns below, each beginning with a literal that the regex engine
# skips ahead to in a tight loop (an alternation it tries at every character), find the same date.
_PUBLISHED = tuple(re.compile(label + r"\s*[:：]?\s*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
                   for label in ("日期", "时间"))
_STAMP = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})\s+[\d:]+")  # 2021-01-20 09:30:00 on a line of its own
# 来源|发布机构|发文机关|信息来源|发布单位, then a colon and the agency: as two patterns that each begin with a literal,
# which the regex engine skips ahead to in a tight loop (an alternation it tries at every character). 信息来源 is
# found by its 来源, with the same agency, and nothing else can begin at its 息.
_CHROME_AGENCY = (re.compile(r"来源\s*[:：]\s*([\u4e00-\u9fff（）()]{2,40})"),
                  re.compile(r"发(?:布机构|文机关|布单位)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,40})"))
_COMPILER = re.compile(r"([\u4e00-\u9fff]{2,30}?)(?:编制|制作|发布)(?:了)?本(?:年度)?(?:报告|年报)")
# The 本报告 at the end of a _COMPILER match, found from its 本: a pattern that starts with one literal character is
# scanned for in a tight loop, where one starting with 编制|制作|发布 is tried at every character of the head.
_COMPILER_TAIL = re.compile(r"本(?:(?<=(?:编制|制作|发布)本)|(?<=(?:编制|制作|发布)了本))(?:年度)?(?:报告|年报)")
_LEAD_IN = re.compile(r"^(?:由|经|我|本)")  # 由某某局编制本报告
_TITLE_PREFIX = re.compile(r"^\s*(?:标\s*题|标题)\s*[:：|]?\s*")
_ISSUER_YEAR = re.compile(r"^([\u4e00-\u9fff（）()]{2,40}?)\s*(?:19|20)\d{2}\s*年\s*度?")
_YEAR_ISSUER = re.compile(r"^(?:19|20)\d{2}\s*年\s*度?\s*([\u4e00-\u9fff]{2,30}?)\s*(?:政府信息公开|政务公开|信息公开)")
_HEADING = re.compile(r"^\s*#{1,6}\s*")  # a markdown title line: # 某某县人民政府2021年政府信息公开工作年度报告
_ORG_ENDINGS = ("人民政府办公室", "人民政府办公厅", "人民政府", "政府办公室", "政府办", "政府", "办公室", "办公厅", "局", "委员会",
                "委", "厅", "署", "中心", "管委会", "管理委员会", "办事处", "院", "所", "站", "队", "办")
# A line that is only an agency's name, after any markdown heading marks: 「## 某某县财政局」.
_NAME_LINE = re.compile(r"\s*(?:#{1,6}\s*)?([\u4e00-\u9fff]{3,25})\s*")
# 区政府 → 区人民政府: the replacement holds no group reference, which would cost sub() a template on every call.
_GOVERNMENT = re.compile(r"(?<=[区县市旗])政府(?=(?:办公室)?$)")
_PLACE_ONLY = re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:省|市|区|县|镇|乡|街道)$")


def _leftmost(patterns: tuple[re.Pattern, ...], text: str) -> re.Match | None:
    "The match that starts first among the patterns' first matches, as one alternation of them would find it."
    found = [m for m in (pattern.search(text) for pattern in patterns) if m]
    return min(found, key=re.Match.start, default=None)


def find_year(text: str) -> int | None:
    "The year the report covers: its statistics period, else its title, else the year the prose names most."
    head = text[:20000]
    if m := _PERIOD.search(head):
        return int(m.group(1))
    for pattern in (_SPAN, _TITLE):
        if (year := _year_before(pattern, head)) is not None:
            return year
    years = Counter(int(y) for y in _YEAR.findall(head) if 2000 <= int(y) <= 2100)
    return years.most_common(1)[0][0] if years else None


def _year_before(rest: re.Pattern, head: str) -> int | None:
    """The year of the first 「2021 年…」 in head whose 年 on matches rest: what a search for the year, any
    whitespace, then rest finds (the year's four characters end where the whitespace before the 年 begins)."""
    at = 0
    while m := rest.search(head, at):
        at = m.start()
        end = at
        while end and head[end - 1].isspace():  # \s and str.isspace take the same characters
            end -= 1
        if end >= 4 and _YEAR_DIGITS.fullmatch(head, end - 4, end):
            return int(head[end - 4:end])
        at += 1
    return None


def find_published(text: str) -> str | None:
    "The publication date printed in the page's header chrome (发布时间 or a bare date line near the top)."
    head = text[:1500]
    m = _leftmost(_PUBLISHED, head)
    if not m:
        for line in head.splitlines()[:12]:
            if (d := _DATE.fullmatch(line := line.strip())) or (d := _STAMP.fullmatch(line)):
                return f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
        return None
    d = _DATE.search(m.group(1))
    return f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}" if d else None


def _title_lines(text: str) -> Iterator[str]:
    """The head's first 40 lines as str.splitlines cuts them, up to the last that says 报告 (as a title does). The
    head is split a stretch at a time, to the end of the next such line: a title is near the top, and splitting
    all 3,000 characters cost more than the rest of find_agency."""
    head = text[:3000]
    start, left = 0, 40
    while left > 0 and (at := head.find("报告", start)) >= 0:
        end = head.find("\n", at)  # a "\n" ends a line (with a "\r" before it, the two do), so [start, end) is whole lines
        if end < 0:
            end = len(head)
        lines = head[start:end].splitlines()[:left]
        yield from lines
        left -= len(lines)
        start = end + 1


def _title_issuer(text: str) -> str | None:
    "The issuer named in the title line: text before the year, or between the year and 政府信息公开."
    for line in _title_lines(text):
        if "报告" not in line:  # a title says 报告; what is left of a line after its prefixes is part of it
            continue
        line = _HEADING.sub("", line)
        line = _TITLE_PREFIX.sub("", line.strip()).strip("| ")
        m = _ISSUER_YEAR.match(line)
        if m and "报告" in line and len(line) < 80:
            return m.group(1)
        m = _YEAR_ISSUER.match(line)
        if m and "报告" in line and len(line) < 80 and m.group(1) not in ("度", "年度"):
            return m.group(1)
    return None


def _compiler(head: str) -> re.Match | None:
    """「某某局编制本报告」. Each 本报告 is tried with the 33 characters before it (a match's 30 and 编制了), in
    order: the first window that holds a match holds the leftmost match in the head, the one a search returns."""
    for tail in _COMPILER_TAIL.finditer(head):
        if m := _COMPILER.search(head, max(0, tail.start() - 33), tail.end()):
            return m
    return None


def _chrome_agency(head: str) -> re.Match | None:
    "The agency the page's chrome names (来源：某某局): the first such label in the head."
    return _leftmost(_CHROME_AGENCY, head)


def _named_agency(text: str) -> str | None:
    "The agency as the report names itself: in its title, else its page chrome, a 「某某局编制本报告」, a line of its own."
    if issuer := _title_issuer(text):
        return issuer
    head = text[:4000]
    for find in (_chrome_agency, _compiler):
        m = find(head)
        if m and m.group(1).endswith(_ORG_ENDINGS):
            return _LEAD_IN.sub("", m.group(1))
    for line in text[:600].splitlines()[:10]:
        if (m := _NAME_LINE.fullmatch(line)) and m.group(1).endswith(_ORG_ENDINGS):
            return m.group(1)
    return None


def _expand(name: str, place: Place | None) -> str:
    "区政府 → 区人民政府; 县科技经信局 → 郎溪县科技经信局; a district gets its city (江汉区 → 武汉市江汉区)."
    name = _GOVERNMENT.sub("人民政府", name)
    if _PLACE_ONLY.match(name):
        name += "街道办事处" if name.endswith("街道") else "人民政府"
    if place is None:
        return name
    if name.startswith(place.name[-1]) and not name.startswith(place.name):
        name = place.name + name[1:]
    above = parents(place)
    # District names repeat across cities (东区, 城关区), so reports name the city too; county names do not.
    if place.level == 3 and place.name.endswith("区") and name.startswith(place.name) and above:
        name = above[-1].name + name
    return name


def find_agency(text: str, hint: str | None = None) -> tuple[str | None, str | None]:
    "The issuing agency's full name and its region (浙江省杭州市滨江区), as far as the text tells them."
    name = hint or _named_agency(text)
    place = find_region(text, name)
    if name is None:
        return None, full_name(place) if place else None
    return _expand(name, place), full_name(place) if place else None
