"""Normalised views of text for matching labels: full-width → half-width, traditional → simplified, no whitespace.

Values and snippets are always taken from the text as printed; these views only find where labels are,
and every position in them maps back to an offset in the printed text.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, compress, repeat
from operator import add

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

# str.translate looks every character up in _FOLD, which costs more than the rest of KeyText.of on a CJK
# text; finding the few distinct foldable characters present and replacing each gives the same string,
# since no replacement is itself a key of _FOLD.
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_FOLD)) + "]")
_FOLD_TO = {chr(cp): to if isinstance(to, str) else chr(to) for cp, to in _FOLD.items()}


def fold(text: str) -> str:
    "Full-width forms to ASCII and look-alike punctuation to one form, keeping length."
    for c in set(_FOLDABLE.findall(text)):
        text = text.replace(c, _FOLD_TO[c])
    return text


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    "Traditional → simplified for matching; falls back to character by character when lengths would change."
    out = _t2s().convert(text)
    if len(out) == len(text):
        return out
    conv = _t2s().convert
    return "".join(c if len(s := conv(c)) != 1 else s for c in text)


# Characters that occur in traditional script only, frequent in these reports (報 告 開 條 關 於 …).
_TRADITIONAL = re.compile("[報開條關於應與請機構統計類區務資處為發達據審議結維訴總數項規範強實業號電網辦體錶單據權門問導過這個會學經濟]")


_NOT_HAN = re.compile("[^\u4e00-\u9fff]+")


def script_of(text: str) -> str:
    "simplified or traditional, by how often traditional-only characters occur."
    sample = text[:6000]
    hits = len(_TRADITIONAL.findall(sample))
    if not hits:  # most reports: no need to count the Han characters
        return "simplified"
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
    _key_starts: tuple[int, ...]  # key position where each word starts
    _text_starts: tuple[int, ...]  # printed offset of each word
    damaged: bool = False  # the text has mojibake (U+FFFD) somewhere: labels are matched allowing for it

    @classmethod
    def of(cls, text: str, traditional: bool) -> KeyText:
        folded = fold(text)
        if traditional:
            folded = to_simplified(folded)
        # Most texts space their words with ' ' and line breaks only: split at single spaces, every piece (empty
        # between two spaces) starts one past the end of the one before, and the non-empty ones are the words,
        # with no Python loop over them. Any other whitespace (\x0b, U+2028 …) takes the general loop.
        flat = folded.replace("\n", " ")
        if "\r" in flat:
            flat = flat.replace("\r", " ")
        pieces = flat.split(" ")
        keys = "".join(pieces)
        if keys.split(None, 1) == [keys]:  # no other whitespace in it
            text_starts = compress(accumulate(map(add, map(len, pieces), repeat(1)), initial=0), pieces)
            key_starts = compress(accumulate(map(len, pieces), initial=0), pieces)
            return cls(folded, keys, tuple(key_starts), tuple(text_starts), "\ufffd" in keys)
        # str.split is several times faster than a regex over CJK text; each word's printed offset is the
        # first place it occurs after the previous word, as only whitespace lies between them.
        words = folded.split()
        key_starts, text_starts, pos, k = [], [], 0, 0
        for w in words:
            pos = folded.find(w, pos)
            key_starts.append(k)
            text_starts.append(pos)
            pos += len(w)
            k += len(w)
        keys = "".join(words)
        return cls(folded, keys, tuple(key_starts), tuple(text_starts), "\ufffd" in keys)

    def offset(self, k: int) -> int:
        "Printed offset of the key character at k (k == len(keys) maps to the end of the text)."
        if k >= len(self.keys):
            return len(self.folded)
        i = bisect.bisect_right(self._key_starts, k) - 1
        return self._text_starts[i] + (k - self._key_starts[i])

    def key_at(self, offset: int) -> int:
        "The first key position at or after a printed offset."
        i = bisect.bisect_right(self._text_starts, offset) - 1
        if i < 0:
            return 0
        inside = offset - self._text_starts[i]
        length = (self._key_starts[i + 1] if i + 1 < len(self._key_starts) else len(self.keys)) - self._key_starts[i]
        return self._key_starts[i] + inside if inside < length else self._key_starts[i] + length
