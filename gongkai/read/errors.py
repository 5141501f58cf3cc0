"""The one error a reader raises: the file cannot be read at all (empty, junk, damaged container)."""
from __future__ import annotations

from gongkai.findings import Finding, finding


class UnreadableError(Exception):
    "A file that yields no report; carries a catalogue finding whose message names the file."

    def __init__(self, code: str, source: str, **facts):
        self.finding: Finding = finding(code, source=source, **facts)
        self.source = source
        super().__init__(self.finding.message)

    @property
    def code(self) -> str:
        return self.finding.code
