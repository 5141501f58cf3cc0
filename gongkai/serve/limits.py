"""Uploads and their limits: size cap, time cap, what a request may carry, and the service's error type."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import UploadFile

from gongkai.findings import Finding, finding
from gongkai.read import read, sniff

PASTED = "粘贴的文本.txt"  # the name a pasted report goes by in messages and in the store


@dataclass(frozen=True, slots=True)
class Limits:
    "What one upload may cost the server; create_app(**limits) overrides any of them."

    max_bytes: int = 20 * 1024 * 1024  # the largest real reports (scanned PDFs) are a few MB
    parse_seconds: float = 30.0  # a whole parse and check, including the wait for the parse process
    per_page: int = 50  # rows of the reports list


class ServeError(Exception):
    "A request the service refuses: a catalogue finding and the HTTP status to answer with."

    def __init__(self, status: int, code: str, **facts):
        self.status = status
        self.finding: Finding = finding(code, **facts)
        super().__init__(self.finding.message)


async def upload_bytes(file: UploadFile | None, text: str | None, limits: Limits) -> tuple[bytes, str]:
    "The bytes of an uploaded file, else of pasted text, and the name to report them under; enforces the cap."
    if file is not None and file.filename:
        name = file.filename
        data = await file.read(limits.max_bytes + 1)  # one byte over the cap is enough to refuse
    elif text and text.strip():
        name, data = PASTED, text.encode("utf-8")
    else:
        raise ServeError(400, "serve.upload.missing")
    if len(data) > limits.max_bytes:
        raise ServeError(413, "serve.upload.too_large", source=name, limit=limits.max_bytes)
    # Sniffed from the bytes, never from the declared content type (browsers send octet-stream for .doc and .wps).
    # Empty or junk input raises the reader's own UnreadableError here, without a trip to the parse process.
    if not data.strip() or sniff(data, name) == "binary":
        read(data, name)
    return data, name
