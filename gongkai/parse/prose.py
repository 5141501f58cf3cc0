"""Figures stated in sentences ("共受理…申请63件", "行政复议申请39件，维持…14件"), as the format's [[prose]] cues say."""
from __future__ import annotations

import re
from functools import cache

from gongkai.formats.schema import ProseGroup
from gongkai.parse.solve import Value

_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_COUNT = re.compile(r"(\d+)\s*(?:件|条|个|起|宗|次|份|项)")
_NEGATION = re.compile(r"(?:没有|未|无)[^，,]{0,12}$")
WRAP_WIDTH = 24  # a line this long that stops mid-sentence was wrapped by the page, not ended by the author
CUE_REACH = 40  # chars between a cue and its number: further away, the number belongs to something else


@cache
def _openers(groups: tuple[ProseGroup, ...]) -> dict[str, re.Pattern]:
    return {g.group: re.compile("|".join(map(re.escape, g.clause))) for g in groups}


def prose_figures(folded: str, groups: tuple[ProseGroup, ...]) -> dict[str, Value]:
    """The first statement of each prose figure, with the offsets of its number.

    A clause opens at one of its group's words and runs to the sentence end or to another group's word;
    the total is the first count after a total cue; each part is the first count after one of its cues.
    A clause that says there were none (没有收到…申请) gives a total of 0.
    """
    out: dict[str, Value] = {}
    if not groups:
        return out
    folded = _unwrap(folded)
    opener = _openers(groups)
    for s in _SENTENCE.finditer(folded):
        sentence = s.group()
        opens = sorted((m.start(), g) for g in groups for m in [opener[g.group].search(sentence)] if m)
        for i, (begin, g) in enumerate(opens):
            end = next((b for b, h in opens[i + 1:] if h.group != g.group), len(sentence))
            clause_start, clause_end = s.start() + begin, s.start() + end
            if g.total and g.total.cell not in out:
                out.update(_first(folded, g.total.cell, g.total.cues, clause_start, clause_end, sentence_start=s.start()))
            for part in g.parts:
                if part.cell not in out:
                    out.update(_first(folded, part.cell, part.cues, clause_start, clause_end))
    return out


_WRAP = re.compile(r"(?<=[\u4e00-\u9fff\d，、,])\n(?=[\u4e00-\u9fff\d])")


def _unwrap(folded: str) -> str:
    """The text with hard line wraps inside sentences (PDF text, "其他\n8件") turned into spaces, offsets kept.
    Only full lines wrap (headings are short), and lines of tables (with `|`) are never joined."""
    lines = folded.split("\n")
    out = []
    for line, nxt in zip(lines, lines[1:] + [""]):
        out.append(line)
        wrapped = len(line) >= WRAP_WIDTH and "|" not in line + nxt and _WRAP.search(line[-1:] + "\n" + nxt[:1])
        out.append(" " if wrapped else "\n")
    return "".join(out)[:len(folded)]


def _first(folded: str, cell: str, cues: tuple[str, ...], start: int, end: int,
           sentence_start: int | None = None) -> dict[str, Value]:
    lo = sentence_start if sentence_start is not None else start
    for cue in cues:
        p = folded.find(cue, lo, end)
        if p < 0:
            continue
        m = _COUNT.search(folded, p + len(cue), min(end, p + len(cue) + CUE_REACH))
        if m:
            return {cell: Value(int(m.group(1)), m.start(1), m.end(1), "prose")}
        if sentence_start is not None and _NEGATION.search(folded[lo:p]):
            return {cell: Value(0, p, p + len(cue), "prose")}
    return {}
