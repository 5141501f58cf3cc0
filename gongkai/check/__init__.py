"""Check stage: Report → list[Finding]. Identities, format compliance, prose ↔ table, continuity across years."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from gongkai.check.arithmetic import check_rules
from gongkai.check.compliance import check_compliance, plain
from gongkai.check.continuity import Pool, Trace, check_continuity
from gongkai.check.prose import check_prose, read_statements, stated_values
from gongkai.findings import Finding, Severity, finding, Where
from gongkai.formats.schema import FormatError, load
from gongkai.model import Report

__all__ = ["check", "check_one", "check_reports", "check_paths", "expand_paths", "has_errors"]


def check(report: Report, *, history: Sequence[Report] = ()) -> list[Finding]:
    """Every finding of one report: the reading findings it carries, then identities, compliance, prose, continuity.

    `history` holds other reports (of any agency): those of the same agency give the year-to-year checks.
    """
    return check_one(report) + check_continuity(report, history)


def check_one(report: Report) -> list[Finding]:
    "The findings of one report taken alone: reading, identities, compliance, prose (no continuity)."
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
    return out


def check_reports(reports: Sequence[Report], history: Sequence[Report] = ()) -> list[list[Finding]]:
    """Check reports given together: each is checked against the others (and `history`) for continuity.

    Linear in the number of reports: continuity goes through one Pool (see check/continuity.py).
    """
    pool = Pool()
    traces = [pool.add(r) for r in reports]
    given = {id(r) for r in reports}
    for h in history:
        if id(h) not in given:
            pool.add(h, checked=False)
    return [check_one(r) + pool.findings(t) for r, t in zip(reports, traces)]


def has_errors(findings: Iterable[Finding | dict]) -> bool:
    "Whether any finding has error severity (the CLI exits 1)."
    return any(str(f["severity"] if isinstance(f, dict) else f.severity) == Severity.ERROR for f in findings)


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
    """Read, parse and check each file; files of one agency are checked against each other (and the store's).

    Returns `[{"file", "findings": [finding JSON], "unreadable": bool, "meta": {agency, year, format}}]`,
    in the order given; an unreadable file carries its reading finding and `unreadable: true`.
    A report is dropped once checked alone: continuity keeps only its Trace, so memory stays small for a folder
    of thousands.
    """
    from gongkai.parse import parse
    from gongkai.read import UnreadableError, read

    pool = Pool()
    results: list[dict[str, Any]] = []
    traces: list[Trace | None] = []
    shas: set[str] = set()
    for f in expand_paths(paths):
        try:
            report = parse(read(f))
        except UnreadableError as e:
            results.append({"file": str(f), "findings": [e.finding.to_dict()], "unreadable": True, "meta": None})
            traces.append(None)
            continue
        meta = {k: report.meta.get(k) for k in ("agency", "year", "format")}
        results.append({"file": str(f), "findings": check_one(report), "unreadable": False, "meta": meta})
        traces.append(pool.add(report))
        shas.add(report.meta.get("sha256") or "")
        del report
    for h in _stored(db_url, [t for t in traces if t is not None], shas):
        pool.add(h, checked=False)
    for result, trace in zip(results, traces):
        if not result["unreadable"]:
            result["findings"] = [x.to_dict() for x in result["findings"] + pool.findings(trace)]
    return results


def _stored(db_url: str | None, traces: list[Trace], skip: set[str]) -> Iterable[Report]:
    "For `--db`: the store's reports of the checked agencies, for their years and the years before (one query each)."
    if not db_url:
        return
    from gongkai.store import reports_of_agency

    wanted: dict[str, tuple[str, set[int]]] = {}
    for t in traces:
        wanted.setdefault(t.agency, (t.meta["agency"], set()))[1].update((t.year - 1, t.year))
    for name, years in wanted.values():
        for h in reports_of_agency(db_url, name, sorted(years)):
            sha = h.meta.get("sha256")
            # A checked file may itself be in the store: it is not its own history, nor twice in the pool.
            if sha and sha in skip:
                continue
            yield h
