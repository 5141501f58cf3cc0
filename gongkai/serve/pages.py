"""The Chinese pages: check an upload (首页), the reports list and a report, compare agencies and years."""
from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from gongkai.render import RenderError, render_bytes
from gongkai.serve.api import MEDIA
from gongkai.serve.charts import agency_charts, table_bytes, year_charts
from gongkai.serve.limits import ServeError
from gongkai.serve.stored import checked_report, filter_choices, search_reports
from gongkai.serve.uploads import check_upload
from gongkai.serve.views import report_view

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=200)]


def _page(request: Request, name: str, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context)


def _year(value: str | None) -> int | None:
    "A year typed into a form: blank means none; anything but a plausible year is refused."
    if not value or not value.strip():
        return None
    if not value.strip().isdigit() or not 1990 <= int(value) <= 2100:
        raise ServeError(422, "serve.request.invalid", detail=f"年度应为 1990–2100 之间的整数，而不是“{value}”")
    return int(value)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return _page(request, "index.html")


@router.post("/check", response_class=HTMLResponse)
async def check(request: Request, file: Annotated[UploadFile | None, File()] = None,
                text: Annotated[str | None, Form()] = None, save: Annotated[bool, Form()] = False) -> HTMLResponse:
    report, saved = await check_upload(request, file, text, save)
    return _page(request, "check.html", view=report_view(report), saved=saved, asked_save=save)


@router.get("/apidoc", response_class=HTMLResponse)
def apidoc(request: Request) -> HTMLResponse:
    "The JSON API's operations from the OpenAPI schema, drawn here (Swagger UI would need a CDN)."
    return _page(request, "apidoc.html", schema=request.app.openapi())


@router.get("/reports", response_class=HTMLResponse)
def reports(request: Request, agency: Text = None, region: Text = None, year: Text = None, format: Text = None,
            container: Text = None, errors: Text = None, page: Annotated[int, Query(ge=1, le=100_000)] = 1):
    db, per_page = request.app.state.db_url, request.app.state.limits.per_page
    has_errors = {"yes": True, "no": False}.get(errors or "")
    total, rows = search_reports(db, agency=agency, region=region, year=_year(year), format=format or None,
                                 container=container or None, has_errors=has_errors, page=page, per_page=per_page)
    asked = {k: v for k, v in dict(agency=agency, region=region, year=year, format=format, container=container,
                                   errors=errors).items() if v}
    return _page(request, "reports.html", rows=rows, total=total, page=page, pages=max(1, -(-total // per_page)),
                 asked=asked, query=urlencode(asked), choices=filter_choices(db))


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report(request: Request, report_id: int) -> HTMLResponse:
    view = report_view(checked_report(request.app.state.db_url, report_id))
    return _page(request, "report.html", view=view, report_id=report_id)


@router.get("/reports/{report_id}/download/{to}")
def download(request: Request, report_id: int, to: Literal["json", "docx", "html"]) -> Response:
    "The report's JSON (as `gongkai parse --json`, with the check's findings), or rendered in the official layout."
    report = checked_report(request.app.state.db_url, report_id)
    if to == "json":
        data = json.dumps(report.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
    else:
        try:
            data = render_bytes(report, to)
        except RenderError as e:
            raise ServeError(422, "serve.request.invalid", detail=str(e)) from None
    name = f"{report.meta.get('agency') or '年报'}{report.meta.get('year') or ''}.{to}"
    return Response(data, media_type=MEDIA[to],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _charts(request: Request, agency: str | None, region: str | None, year: str | None) -> tuple[str, list]:
    "Which compare was asked for ('agency', 'year' or '') and its charts."
    db = request.app.state.db_url
    if agency and agency.strip():
        return "agency", agency_charts(db, agency.strip(), region or None)
    asked = _year(year)
    if asked is not None:
        return "year", year_charts(db, asked, region or None)
    return "", []


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, agency: Text = None, region: Text = None, year: Text = None) -> HTMLResponse:
    mode, charts = _charts(request, agency, region, year)
    asked = {k: v for k, v in dict(agency=agency, region=region, year=year).items() if v}
    return _page(request, "compare.html", mode=mode, charts=charts, asked=asked, query=urlencode(asked),
                 choices=filter_choices(request.app.state.db_url))


@router.get("/compare/download")
async def compare_download(request: Request, chart: Annotated[str, Query(max_length=40)],
                           to: Literal["csv", "xlsx"] = "csv", agency: Text = None, region: Text = None,
                           year: Text = None) -> Response:
    "Exactly the table printed beside one chart, as CSV or XLSX."
    mode, charts = await run_in_threadpool(_charts, request, agency, region, year)
    found = next((c for c in charts if c.id == chart), None)
    if found is None:
        raise ServeError(404, "serve.not_found", path=f"{request.url.path}?chart={chart}")
    name = quote(f"比较-{mode}-{chart}.{to}")
    return Response(table_bytes(found.table, to), media_type=MEDIA[to],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})
