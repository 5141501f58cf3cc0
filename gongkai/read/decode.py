"""Bytes → str for text-shaped containers: BOMs, declared charsets, then charset-normalizer."""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Declared names that mean a wider codec in practice: pages labelled gb2312 routinely hold GBK/GB18030 characters.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def _normal(name: str) -> str:
    name = name.lower().replace("_", "-") if name else name
    return _WIDER.get(name, name)


def _han_share(text: str) -> float:
    sample = text[:4000]
    return sum(1 for c in sample if "\u4e00" <= c <= "\u9fff") / max(len(sample), 1)


def decode(data: bytes) -> tuple[str, str, int]:
    """Decode bytes; returns (text, encoding, number of undecodable bytes replaced by U+FFFD).

    Order: a BOM; strict UTF-8; the page's declared charset when it decodes cleanly; charset-normalizer;
    GB18030 with replacement as the last resort (the commonest legacy encoding of these reports).
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            return text, enc.replace("-sig", ""), text.count("\ufffd")
    if _looks_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        text = data.decode(enc, errors="replace")
        return text, enc, text.count("\ufffd")
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    m = _DECLARED.search(data[:4096])
    if m:
        enc = _normal(m.group(1).decode("ascii", "ignore"))
        try:
            return data.decode(enc), enc, 0
        except (UnicodeDecodeError, LookupError):
            pass
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        enc = _normal(best.encoding)
        text = data.decode(enc, errors="replace")
        if _han_share(text) > 0.05 or not text.count("\ufffd"):
            return text, enc, text.count("\ufffd")
    text = data.decode("gb18030", errors="replace")
    return text, "gb18030", text.count("\ufffd")


def _looks_utf16(data: bytes) -> bool:
    "UTF-16 without a BOM: every other byte of ASCII-heavy text is zero."
    head = data[:200]
    if len(head) < 4:
        return False
    zeros_even = head[0::2].count(0)
    zeros_odd = head[1::2].count(0)
    half = len(head) // 2
    return max(zeros_even, zeros_odd) > half * 0.3 and min(zeros_even, zeros_odd) < half * 0.05
