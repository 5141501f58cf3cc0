"""Figures stated in sentences ("共受理…申请63件", "行政复议申请39件，维持…14件"), as the format's [[prose]] cues say."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from operator import itemgetter

from gongkai.formats.schema import ProseGroup
from gongkai.parse.solve import Value

_ENDS = "。；;！!？?\n"  # a sentence is a run of other characters between two of these
_END = re.compile(f"[{re.escape(_ENDS)}]")
_COUNT = re.compile(r"(\d+)\s*(?:件|条|个|起|宗|次|份|项)")
_NEGATION = re.compile(r"(?:没有|未|无)[^，,]{0,12}$")
WRAP_WIDTH = 24  # a line this long that stops mid-sentence was wrapped by the page, not ended by the author
CUE_REACH = 40  # chars between a cue and its number: further away, the number belongs to something else


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
    # Cached by the clause words: a tuple of frozen dataclasses hashes field by field in Python, costlier than this.
    openers, anchors = _clauses(tuple(g.clause for g in groups))
    for start, stop in _sentences_with(folded, anchors):
        sentence = folded[start:stop]
        # By where each clause opens (groups are not ordered; two opening at one place both run on from there).
        opens = sorted(((m.start(), g) for g, opener in zip(groups, openers) if (m := opener.search(sentence))),
                       key=itemgetter(0))
        for i, (begin, g) in enumerate(opens):
            end = next((b for b, h in opens[i + 1:] if h.group != g.group and b > begin), len(sentence))
            clause_start, clause_end = start + begin, start + end
            if g.total and g.total.cell not in out:
                out.update(_first(folded, sentence, g.total.cell, g.total.cues, clause_start, clause_end,
                                  sentence_start=start))
            for part in g.parts:
                if part.cell not in out:
                    out.update(_first(folded, sentence, part.cell, part.cues, clause_start, clause_end))
    return out


@cache
def _clauses(clauses: tuple[tuple[str, ...], ...]) -> tuple[tuple[re.Pattern, ...], tuple[str, ...]]:
    """A pattern for each group's clause words, and the anchors: the clause words that hold no other one
    (a sentence holding any clause word holds one of these)."""
    words = {w for clause in clauses for w in clause}
    anchors = tuple(sorted(w for w in words if not any(v in w for v in words if v != w)))
    return tuple(re.compile("|".join(map(re.escape, clause))) for clause in clauses), anchors


def _sentences_with(folded: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Start and end of each sentence that holds one of the words, in order.

    Only these can open a clause, and they are a few of a report's hundreds of sentences: each is found
    around an occurrence of a word (str.find) instead of running a regex through every sentence."""
    spans: list[tuple[int, int]] = []
    stop = 0
    # A sentence's start is the first end character searched for backwards: forwards in the reversed text (a
    # search back for each end character in turn scans far for a rare one).
    backwards, n = folded[::-1], len(folded)
    for p in sorted(p for w in words for p in _occurrences(folded, w)):
        # Skip a word in the sentence just found, or one at a sentence end (an empty word is found past the text too).
        if p < stop or folded[p:p + 1] in _ENDS:
            continue
        start = n - m.start() if (m := _END.search(backwards, n - p)) else 0
        stop = m.start() if (m := _END.search(folded, p)) else n
        spans.append((start, stop))
    return spans


def _occurrences(text: str, word: str) -> Iterator[int]:
    "Every position where word starts in text, overlapping ones too."
    p = text.find(word)
    while p >= 0:
        yield p
        p = text.find(word, p + 1)


_WRAP = re.compile(r"\n(?<=[\u4e00-\u9fff\d，、,]\n)(?=[\u4e00-\u9fff\d])")  # line break first: a fast scan for it


def _unwrap(folded: str) -> str:
    """The text with hard line wraps inside sentences (PDF text, "其他\n8件") turned into spaces, offsets kept.
    Only full lines wrap (headings are short), and lines of tables (with `|`) are never joined."""
    return _WRAP.sub(lambda m: " " if _wraps(folded, m.start()) else "\n", folded)


def _wraps(folded: str, p: int) -> bool:
    "Whether the line break at p ends a full line, with no `|` in that line or the next."
    start = folded.rfind("\n", 0, p) + 1
    stop = folded.find("\n", p + 1)
    return p - start >= WRAP_WIDTH and folded.find("|", start, stop if stop >= 0 else len(folded)) < 0


def _first(folded: str, sentence: str, cell: str, cues: tuple[str, ...], start: int, end: int,
           sentence_start: int | None = None) -> dict[str, Value]:
    lo = sentence_start if sentence_start is not None else start
    for cue in cues:
        # Most cues are not in the sentence at all: `in` tells so at a quarter of what a find with bounds costs.
        if cue not in sentence:
            continue
        p = folded.find(cue, lo, end)
        if p < 0:
            continue
        m = _COUNT.search(folded, p + len(cue), min(end, p + len(cue) + CUE_REACH))
        if m:
            return {cell: Value(int(m.group(1)), m.start(1), m.end(1), "prose")}
        if sentence_start is not None and _NEGATION.search(folded[lo:p]):
            return {cell: Value(0, p, p + len(cue), "prose")}
    return {}
