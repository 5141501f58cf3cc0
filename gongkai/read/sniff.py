"""Tell a container by its content (magic bytes, markup), the file name's extension only breaking ties."""
from __future__ import annotations

import io
import re
import zipfile

_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|div|p|meta)\b", re.I)
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def sniff(data: bytes, name: str = "") -> str:
    "text | html | pdf | docx | doc | wps | binary"
    return sniff_archive(data, name)[0]


def sniff_archive(data: bytes, name: str = "") -> tuple[str, zipfile.ZipFile | None]:
    "The container, and for a DOCX the zip opened to tell it, so its reader need not open it again."
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF"):
        return "pdf", None
    if head.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return "binary", None
        return ("docx", archive) if "word/document.xml" in archive.NameToInfo else ("binary", None)
    return _sniff_rest(data, head, name), None


def _sniff_rest(data: bytes, head: bytes, name: str) -> str:
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Word 97–2003 or WPS
        return "wps" if name.lower().endswith(".wps") else "doc"
    if _HTML.search(data[:4096]) or _HTML.search(_utf16_head(data)):
        return "html"
    if _binary(head):
        return "binary"
    return "text"


def _utf16_head(data: bytes) -> bytes:
    "The first KiB of a UTF-16 file as ASCII-compatible bytes, so its markup can be seen; else b''."
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:200].count(0) > 60:
        enc = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be")
        return head[: len(head) // 2 * 2].decode(enc, "replace").encode("utf-8", "replace")
    return b""


def _binary(head: bytes) -> bool:
    "Control bytes other than whitespace in the first KiB (and not UTF-16) mean this is not text."
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head.count(0) > len(head) * 0.3:
        return False
    ctrl = len(head.translate(None, _NOT_CONTROL))  # deleting every other byte leaves the control bytes
    return ctrl > max(4, len(head) // 50)
