"""Findings with stable codes; the only list of codes and their Chinese wording is check/catalog.toml."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, Mapping


class Severity(StrEnum):
    ERROR = "error"  # the numbers cannot all be true (勾稽关系不成立)
    WARNING = "warning"  # probably wrong; a person should look (文表不一致)
    INFO = "info"  # how we read it (繁体已转换, 乱码已标记)


@dataclass(frozen=True, slots=True)
class Where:
    source: str | None = None  # report file name or URL
    span: tuple[int, int] | None = None  # offsets into the decoded text
    line: int | None = None
    page: int | None = None
    snippet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}
        if "span" in d:
            d["span"] = list(d["span"])
        return d


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # "check.sum.balance": stable, never renamed, never reused
    severity: Severity
    message: str  # Chinese, rendered from the catalogue template
    cells: tuple[str, ...] = ()  # cell ids involved, from shared/spec/cells.csv
    suspect: str | None = None  # the one cell most likely wrong, when a sum fails
    where: Where = field(default_factory=Where)
    facts: Mapping[str, Any] = field(default_factory=dict)  # the numbers behind the message

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "cells": list(self.cells),
            "suspect": self.suspect,
            "source": self.where.to_dict() or None,
            "facts": dict(self.facts),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Finding":
        src = d.get("source") or {}
        span = src.get("span")
        where = Where(src.get("source"), tuple(span) if span else None, src.get("line"), src.get("page"),
                      src.get("snippet"))
        return cls(d["code"], Severity(d["severity"]), d.get("message", ""), tuple(d.get("cells") or ()),
                   d.get("suspect"), where, dict(d.get("facts") or {}))


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    severity: Severity
    title: str
    template: str


class _Facts(dict):
    "Template facts; a missing key prints as itself so a template typo never raises mid-batch."

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def catalog() -> dict[str, Entry]:
    "All finding codes, loaded once from check/catalog.toml."
    raw = tomllib.loads(resources.files("gongkai.check").joinpath("catalog.toml").read_text("utf-8"))
    return {code: Entry(code, Severity(e["severity"]), e["title"], e["template"]) for code, e in raw.items()}


def finding(code: str, *, cells: tuple[str, ...] | list[str] = (), suspect: str | None = None,
            where: Where | None = None, severity: Severity | None = None, **facts: Any) -> Finding:
    "Build a finding from its catalogue entry, so code, severity and wording cannot drift apart."
    entry = catalog()[code]
    message = entry.template.format_map(_Facts(facts))
    return Finding(code, severity or entry.severity, message, tuple(cells), suspect, where or Where(), facts)
