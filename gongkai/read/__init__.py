"""Read stage: bytes of any container → Document (decoded text, table cells' locations, reading findings)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from gongkai.model import Document
from gongkai.read.errors import UnreadableError
from gongkai.read.sniff import sniff, sniff_archive
from gongkai.read.text import read_text

__all__ = ["read", "sniff", "UnreadableError"]


def _reader(container: str, name: str):
    "The reader for a container, imported on first use so a text-only run never loads lxml or pdfplumber."
    if container == "text":
        return read_text
    if container == "html":
        from gongkai.read.html import read_html
        return read_html
    if container == "pdf":
        from gongkai.read.pdf import read_pdf
        return read_pdf
    if container == "docx":
        from gongkai.read.docx import read_docx
        return read_docx
    if container in ("doc", "wps"):
        from gongkai.read.legacy_word import read_legacy_word
        return read_legacy_word
    raise UnreadableError("read.binary", name, detail="既不是文本，也不是 HTML、PDF 或 Word 文件")


def read(source: str | Path | bytes, name: str | None = None) -> Document:
    "Read a report file (path) or its bytes into a Document; raises UnreadableError naming the file."
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or str(path)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise UnreadableError("read.binary", name, detail=f"无法打开文件：{e.strerror or e}") from None
    else:
        data, name = bytes(source), name or "<bytes>"
    if not data.strip():
        raise UnreadableError("read.empty", name)
    container, archive = sniff_archive(data, name)
    if archive is not None:  # the zip sniffing opened, handed on rather than opened again
        from gongkai.read.docx import read_docx
        doc = read_docx(data, name, archive)
    else:
        doc = _reader(container, name)(data, name)
    return Document(doc.text, name, hashlib.sha256(data).hexdigest(), container, doc.encoding, doc.locs,
                    doc.findings, doc.published, doc.title)
