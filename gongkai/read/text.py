"""Plain text (crawler page text, pasted tables, markdown): decode, and flag what could not be decoded."""
from __future__ import annotations

from gongkai.findings import finding
from gongkai.model import Document
from gongkai.read.decode import decode
from gongkai.read.errors import UnreadableError


def read_text(data: bytes, name: str) -> Document:
    "Decode a text file; undecodable bytes become a finding, not a crash."
    text, encoding, bad = decode(data)
    if not text.strip():
        raise UnreadableError("read.empty", name)
    findings = ()
    if bad and bad > len(text) // 4:
        raise UnreadableError("read.binary", name, detail=f"{bad} 处字节无法按任何中文编码解码")
    if bad:
        findings = (finding("read.encoding.unknown", encoding=encoding, count=bad),)
    return Document(text, name, container="text", encoding=encoding, findings=findings)
