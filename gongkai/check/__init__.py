"""Check stage: Report → list[Finding]. Identities, format compliance, prose ↔ table, continuity across years."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from gongkai.check.arithmetic import check_rules
from gongkai.check.compliance import check_compliance, plain
from gongkai.check.continuity import agency_key, check_continuity
from gongkai.check.prose import check_prose, read_statements, stated_values
from gongkai.findings import Finding, Severity, finding, Where
from gongkai.formats.schema import FormatError, load
from gongkai.model import Report

__all__ = ["check", "check_reports", "check_paths", "expand_paths", "history_from_db", "has_errors"]


def check(report: Report, *, history: Sequence[Report] = ()) -> list[Finding]:
    """Every finding of one report: the reading findings it carries, then identities, compliance, prose, continuity.

    `history` holds other reports (of any agency): those of the same agency give the year-to-year checks.
    """
    out = list(report.findings)
    try:
        spec = load(str(report.format))
    except FormatError as e:
        return out + [finding("check.rule.invalid", rule="format", detail=str(e), where=Where(report.meta.get("source")))]
    text = plain(report) if report.text else ""
    stated = read_statements(text, report.cells) if text else []
    out += check_rules(report, spec, stated_values(report, stated))
    out += check_compliance(report, spec, text)
    out += check_prose(report, spec, stated)
    out += check_continuity(report, history)
    return out


def check_reports(reports: Sequence[Report], history: Sequence[Report] = ()) -> list[list[Finding]]:
    "Check reports given together: each is checked against the others (and `history`) for continuity."
    return [check(r, history=h) for r, h in zip(reports, _by_agency(reports, history))]


def _by_agency(reports: Sequence[Report], history: Sequence[Report] = ()) -> list[list[Report]]:
    "For each report, the pool's reports of the same agency: keeps a folder of thousands linear, not quadratic."
    groups: dict[str | None, list[Report]] = {}
    for r in list(reports) + list(history):
        groups.setdefault(agency_key(r), []).append(r)
    return [groups.get(k, []) if k is not None else [] for k in map(agency_key, reports)]


def has_errors(findings: Iterable[Finding | dict]) -> bool:
    "Whether any finding has error severity (the CLI exits 1)."
    return any(str(f["severity"] if isinstance(f, dict) else f.severity) == Severity.ERROR for f in findings)


def history_from_db(db_url: str | None, report: Report) -> list[Report]:
    "Last year's and same-year reports of the report's agency from the store, for `gongkai check --db`."
    if not db_url:
        return []
    from gongkai.store import reports_of_agency

    year = report.meta.get("year")
    years = (year - 1, year) if isinstance(year, int) else ()
    # The checked file may itself be in the store: it is not its own history.
    return [h for h in reports_of_agency(db_url, report.meta.get("agency"), years)
            if h.meta.get("sha256") != report.meta.get("sha256")]


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    "Files named, and the files inside folders named (recursively, sorted, hidden ones skipped)."
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and not any(
                part.startswith(".") for part in f.relative_to(p).parts))
        else:
            out.append(p)
    return out


def check_paths(paths: Iterable[str | Path], db_url: str | None = None) -> list[dict[str, Any]]:
    """Read, parse and check each file; files of one agency are checked against each other.

    Returns `[{"file", "findings": [finding JSON], "unreadable": bool, "meta": {agency, year, format}}]`,
    in the order given; an unreadable file carries its reading finding and `unreadable: true`.
    """
    from gongkai.parse import parse
    from gongkai.read import UnreadableError, read

    files = expand_paths(paths)
    parsed: list[Report | UnreadableError] = []
    for f in files:
        try:
            parsed.append(parse(read(f)))
        except UnreadableError as e:
            parsed.append(e)
    reports = [r for r in parsed if isinstance(r, Report)]
    pools = iter(_by_agency(reports))
    results = []
    for f, r in zip(files, parsed):
        if not isinstance(r, Report):
            results.append({"file": str(f), "findings": [r.finding.to_dict()], "unreadable": True, "meta": None})
            continue
        findings = check(r, history=next(pools) + history_from_db(db_url, r))
        meta = {k: r.meta.get(k) for k in ("agency", "year", "format")}
        results.append({"file": str(f), "findings": [x.to_dict() for x in findings], "unreadable": False, "meta": meta})
    return results
