"""The JSON API under /api/: parse and check uploads, search and read stored reports, compare, export."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path as PathParam, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from gongkai.check import has_errors
from gongkai.findings import catalog
from gongkai.serve.stored import checked_report, search_reports
from gongkai.serve.uploads import check_upload

router = APIRouter(prefix="/api", tags=["API"])

# Bounds keep generated or hostile values out of SQL integer overflow and out of absurd pages.
Year = Annotated[int | None, Query(ge=1990, le=2100, description="报告年度")]
ReportId = Annotated[int, PathParam(ge=1, le=2**31 - 1, description="报告编号")]
Agency = Annotated[str | None, Query(max_length=200, description="机关名称（包含即可）")]
Region = Annotated[str | None, Query(max_length=200, description="地区（包含即可）")]
Format = Annotated[Literal["2008", "2019", "2021"] | None, Query(description="表格版本")]
Upload = Annotated[UploadFile | None, File(description="年报文件：文本、HTML、PDF、Word")]
Pasted = Annotated[str | None, Form(description="或粘贴的年报全文")]
Save = Annotated[bool, Query(description="同时保存到年报库（默认不保存）")]
Container = Annotated[Literal["text", "html", "pdf", "docx", "doc", "wps"] | None, Query(description="文件类型")]


def _frame_records(frame) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    "A compare frame as the records `gongkai compare --json` prints."
    return json.loads(frame.to_json(orient="records", force_ascii=False))


@router.post("/parse", summary="读取并审核一份年报")
async def parse(request: Request, file: Upload = None, text: Pasted = None, save: Save = False) -> dict[str, Any]:
    "The shape of `gongkai parse --json`, with every finding of `gongkai check`, and the id when saved."
    report, saved = await check_upload(request, file, text, save)
    return {"report_id": saved, "has_errors": has_errors(report.findings), **report.to_dict()}


@router.post("/check", summary="只审核一份年报")
async def check(request: Request, file: Upload = None, text: Pasted = None) -> dict[str, Any]:
    "The shape of `gongkai check FILE --json`: file, findings, unreadable, meta."
    report, _ = await check_upload(request, file, text)
    meta = {k: report.meta.get(k) for k in ("agency", "year", "format")}
    return {"file": report.meta.get("source"), "findings": [f.to_dict() for f in report.findings],
            "unreadable": False, "meta": meta}


@router.get("/reports", summary="检索年报库")
def reports(request: Request, agency: Agency = None, region: Region = None, year: Year = None,
            format: Format = None, container: Container = None,
            has_errors: Annotated[bool | None, Query(description="只看有错误（true）或无错误（false）的报告")] = None,
            page: Annotated[int, Query(ge=1, le=100_000)] = 1,
            per_page: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    total, rows = search_reports(request.app.state.db_url, agency=agency, region=region, year=year, format=format,
                                 container=container, has_errors=has_errors, page=page, per_page=per_page)
    return {"total": total, "page": page, "per_page": per_page, "reports": rows}


@router.get("/reports/{report_id}", summary="一份报告：元数据、单元格、出处、发现")
def report(request: Request, report_id: ReportId) -> dict[str, Any]:
    r = checked_report(request.app.state.db_url, report_id)
    return {"id": report_id, "has_errors": has_errors(r.findings), **r.to_dict()}


@router.get("/reports/{report_id}/cells", summary="一份报告的单元格及出处")
def cells(request: Request, report_id: ReportId) -> dict[str, Any]:
    d = checked_report(request.app.state.db_url, report_id).to_dict()
    return {"id": report_id, "cells": d["cells"], "provenance": d["provenance"]}


@router.get("/reports/{report_id}/findings", summary="一份报告的审核发现")
def findings(request: Request, report_id: ReportId) -> list[dict[str, Any]]:
    return [f.to_dict() for f in checked_report(request.app.state.db_url, report_id).findings]


@router.get("/compare/agency", summary="一个机关历年的主要数字")
def compare_agency(request: Request, name: Annotated[str, Query(min_length=1, max_length=200)],
                   region: Region = None) -> list[dict[str, Any]]:
    from gongkai.store import compare_agency as run

    return _frame_records(run(request.app.state.db_url, name, region))


@router.get("/compare/year", summary="某年各机关的主要数字")
def compare_year(request: Request, year: Annotated[int, Query(ge=1990, le=2100)],
                 region: Region = None) -> list[dict[str, Any]]:
    from gongkai.store import compare_year as run

    return _frame_records(run(request.app.state.db_url, year, region))


MEDIA = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "json": "application/json", "html": "text/html; charset=utf-8",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@router.get("/export", summary="导出年报库（与 gongkai export 相同）")
async def export(request: Request, to: Annotated[Literal["csv", "xlsx", "parquet"], Query()] = "csv",
                 long: bool = False, agency: Agency = None, year: Year = None, region: Region = None,
                 format: Format = None) -> Response:
    from gongkai.store import export as run

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"gongkai.{to}"
        await run_in_threadpool(run, request.app.state.db_url, path, long=long, agency=agency, year=year,
                                region=region, format=format)
        data = path.read_bytes()
    return Response(data, media_type=MEDIA[to], headers={"Content-Disposition": f'attachment; filename="gongkai.{to}"'})


@router.get("/codes", summary="全部发现代码")
def codes() -> list[dict[str, str]]:
    "Every finding code with its severity, title and template (what `gongkai codes --json` prints)."
    return [{"code": e.code, "severity": str(e.severity), "title": e.title, "template": e.template}
            for e in catalog().values()]
