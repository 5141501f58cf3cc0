"""Normalised views of text for matching labels: full-width → half-width, traditional → simplified, no whitespace.

Values and snippets are always taken from the text as printed; these views only find where labels are,
and every position in them maps back to an offset in the printed text.
"""
from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from typing import NamedTuple

import opencc

# One character in, one character out, so offsets in the translated text equal offsets in the printed text.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII forms
_FOLD.update({ord(k): v for k, v in {
    "\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200b": " ", "\ufeff": " ",
    "\t": " ", "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "〔": "[", "〕": "]", "【": "[", "】": "]",
    "﹙": "(", "﹚": ")", "．": ".", "﹐": ",", "，": ",", "：": ":", "；": ";",
    "—": "-", "–": "-", "－": "-", "─": "-", "━": "-", "―": "-", "∕": "/", "／": "/", "︰": ":",
    "糸": "系",  # a common OCR/typing slip in 关系
    "钩": "勾",  # 钩稽 is a variant spelling of 勾稽
}.items()})

_FOLD_TO = {chr(cp): to if isinstance(to, str) else chr(to) for cp, to in _FOLD.items()}


class _CharSet:
    """A fixed set of at most 255 BMP characters, found in a text by the charmap codec: it looks each character
    up in a C table, about two thirds of the instructions per character that a regex character class costs."""

    def __init__(self, chars: str) -> None:
        self.chars = "\x00" + "".join(sorted(set(chars)))  # byte i of codes() stands for chars[i]
        # Bytes not in the set are "\ufffe", unmapped. The codec always maps NUL to byte 0, so byte 0 means nothing.
        self._map = codecs.charmap_build(self.chars.ljust(256, "\ufffe"))

    def codes(self, text: str) -> bytes:
        "A byte for each character of text in the set, in order (and a 0 for each NUL)."
        return codecs.charmap_encode(text, "ignore", self._map)[0]

    def codes_of(self, chars: str) -> bytes:
        "The bytes that stand for some characters of the set."
        return bytes(sorted({self.chars.index(c) for c in chars}))


# Characters that occur in traditional script only, frequent in these reports (報 告 開 條 關 於 …).
_TRADITIONAL = "報開條關於應與請機構統計類區務資處為發達據審議結維訴總數項規範強實業號電網辦體錶單據權門問導過這個會學經濟"
# Every character str.isspace() takes but the space, the line breaks and those fold makes a space.
_OTHER_SPACE_CHARS = ("\x0b\x0c\x1c\x1d\x1e\x1f\x85\u1680\u2000\u2001\u2004\u2005\u2006\u2007\u2008\u200a"
                      "\u2028\u2029\u202f\u205f")
# What fold, script_of and KeyText.of look for, found in one charmap pass over a text (see _census).
_NOTABLE = _CharSet("".join(_FOLD_TO) + _TRADITIONAL + _OTHER_SPACE_CHARS)
_FOLDABLE_CODES = frozenset(_NOTABLE.codes_of("".join(_FOLD_TO)))
_TRADITIONAL_CODES = _NOTABLE.codes_of(_TRADITIONAL)
_OTHER_SPACE_CODES = frozenset(_NOTABLE.codes_of(_OTHER_SPACE_CHARS))
_SAMPLE = 6000  # script_of judges a text by its first 6,000 characters


class _Census(NamedTuple):
    codes: frozenset[int]  # _NOTABLE's codes of the characters the text holds
    traditional: int  # how many characters of the text's sample are traditional-only


@lru_cache(maxsize=4)  # script_of, then fold and KeyText.of, read the same report's census
def _census(text: str) -> _Census:
    "What fold, script_of and KeyText.of ask of a text, from one pass over it."
    # One pass for all three costs about a sixth more per character than fold's alone did, and saves
    # script_of a pass over the sample.
    sample = _NOTABLE.codes(text[:_SAMPLE])
    return _Census(frozenset(sample + _NOTABLE.codes(text[_SAMPLE:])),
                   len(sample) - len(sample.translate(None, _TRADITIONAL_CODES)))


@lru_cache(maxsize=4)  # parse and then check fold the same report's text: once is enough
def fold(text: str) -> str:
    "Full-width forms to ASCII and look-alike punctuation to one form, keeping length."
    # A text holds only a few distinct foldable characters: each one found is replaced everywhere at once,
    # where str.translate would look every character up in a dict. No replacement is itself foldable.
    for code in _census(text).codes & _FOLDABLE_CODES:
        c = _NOTABLE.chars[code]
        text = text.replace(c, _FOLD_TO[c])
    return text


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4)  # parse and then check convert the same report's text: once is enough (2.4 M instr. per 8k chars)
def to_simplified(text: str) -> str:
    "Traditional → simplified for matching; falls back to character by character when lengths would change."
    out = _t2s().convert(text)
    if len(out) == len(text):
        return out
    conv = _t2s().convert
    return "".join(c if len(s := conv(c)) != 1 else s for c in text)


_NOT_HAN = re.compile("[^\u4e00-\u9fff]+")
_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace, as str.split() takes it, other than a space


def script_of(text: str) -> str:
    "simplified or traditional, by how often traditional-only characters occur."
    hits = _census(text).traditional
    if not hits:  # most reports: no need to count the Han characters
        return "simplified"
    sample = text[:_SAMPLE]
    # Over 2% of the sample is over 2% of its Han characters too.
    if hits > len(sample) * 0.02:
        return "traditional"
    han = len(_NOT_HAN.sub("", sample)) or 1
    return "traditional" if hits / han > 0.02 else "simplified"


def key(text: str, traditional: bool = True) -> str:
    "The matching key of a label: folded, simplified, with no whitespace."
    t = fold(text)
    if traditional:
        t = to_simplified(t)
    return "".join(t.split())


@dataclass(frozen=True, slots=True)
class KeyText:
    """The whole document as one matching key, with a map from key positions back to printed offsets.

    `folded` has the printed text's length (offsets are shared); `keys` drops its whitespace.
    """

    folded: str
    keys: str
    _piece_starts: tuple[int, ...]  # key position of each piece of the text between two whitespace characters
    damaged: bool = False  # the text has mojibake (U+FFFD) somewhere: labels are matched allowing for it

    @classmethod
    def of(cls, text: str, traditional: bool) -> KeyText:
        folded = fold(text)
        if traditional:
            folded = to_simplified(folded)
        # Split at every whitespace character (pieces are empty between two), so each piece starts one printed
        # character further past its key position than the one before: one table of key positions is the whole
        # map, built without a Python loop. Most texts space with ' ' and line breaks only (fold's census tells,
        # and conversion to simplified keeps whitespace as it is); other whitespace is made a ' ' by a slower regex.
        spaced = folded.replace("\n", " ").replace("\r", " ")
        if not _census(text).codes.isdisjoint(_OTHER_SPACE_CODES):
            spaced = _OTHER_SPACE.sub(" ", spaced)
        pieces = spaced.split(" ")
        keys = "".join(pieces)
        # The last entry, the key's length, starts no piece; offset() never looks past the pieces before it.
        return cls(folded, keys, tuple(accumulate(map(len, pieces), initial=0)), "\ufffd" in keys)

    def offset(self, k: int) -> int:
        "Printed offset of the key character at k (k == len(keys) maps to the end of the text)."
        if k >= len(self.keys):
            return len(self.folded)
        starts = self._piece_starts
        # A negative k (a caller's k - 1 at key 0) counts back from the start of the last word, as it always has.
        piece = bisect.bisect_right(starts, k) - 1 if k >= 0 else bisect.bisect_left(starts, len(self.keys)) - 1
        return k + piece

    def key_at(self, offset: int) -> int:
        "The first key position at or after a printed offset."
        # offset() rises with k, and this is called about once per table: a search through it is enough.
        first = bisect.bisect_left(range(len(self.keys) + 1), offset, key=self.offset)
        return min(first, len(self.keys))
