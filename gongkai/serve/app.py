"""The web application: one FastAPI app with the pages, the JSON API, the static assets and the workbench mounted."""
from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException

from gongkai.findings import catalog, finding
from gongkai.read import UnreadableError
from gongkai.serve.limits import Limits, ServeError
from gongkai.serve.worker import Parser
from gongkai.store.db import default_url

HERE = Path(__file__).resolve().parent
WORKBENCH_TEMPLATES = HERE.parent / "workbench" / "web" / "templates"


def templates() -> Jinja2Templates:
    "Templates of the service and of the workbench (whose pages extend base.html), from one loader."
    loader = ChoiceLoader([FileSystemLoader(HERE / "templates"), FileSystemLoader(WORKBENCH_TEMPLATES)])
    env = Environment(loader=loader, autoescape=select_autoescape(["html"]))
    env.globals["catalog"] = catalog()
    return Jinja2Templates(env=env)


def _error(request: Request, status: int, found) -> Response:  # type: ignore[no-untyped-def]
    "JSON under /api/ ({'error': finding}), else the Chinese error page; the codes are the CLI's."
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": found.to_dict()}, status_code=status)
    return request.app.state.templates.TemplateResponse(request, "error.html", {"finding": found},
                                                        status_code=status)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(ServeError)
    async def refused(request: Request, e: ServeError) -> Response:
        return _error(request, e.status, e.finding)

    @app.exception_handler(UnreadableError)
    async def unreadable(request: Request, e: UnreadableError) -> Response:
        return _error(request, 422, e.finding)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError) -> Response:
        detail = "；".join(f"{'.'.join(map(str, err['loc'][1:])) or err['loc'][0]}：{err['msg']}" for err in e.errors())
        return _error(request, 422, finding("serve.request.invalid", detail=detail))

    @app.exception_handler(HTTPException)
    async def http(request: Request, e: HTTPException) -> Response:
        found = (finding("serve.not_found", path=request.url.path) if e.status_code == 404
                 else finding("serve.request.invalid", detail=e.detail))
        response = _error(request, e.status_code, found)
        response.headers.update(e.headers or {})  # e.g. Allow on a 405
        return response


def create_app(db_url: str | None = None, **limits) -> FastAPI:  # type: ignore[no-untyped-def]
    """The service over the store at db_url (default: GONGKAI_DB, else ./gongkai.db).

    limits: any field of Limits (max_bytes, parse_seconds, per_page).
    """
    from gongkai.serve import api, pages

    limit = Limits(**limits)
    parser = Parser(limit.parse_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        parser.warm()
        yield
        parser.stop()

    # No /docs or /redoc: FastAPI loads their scripts from a CDN, and the service must work on a closed network.
    app = FastAPI(title="gongkai 公开", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="政府信息公开工作年度报告：读取、审核、检索、比较。"
                              "错误以 {\"error\": 发现} 返回，代码与命令行一致。")
    app.state.db_url = db_url or default_url()
    app.state.limits = limit
    app.state.parser = parser
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _handlers(app)
    from gongkai.workbench.web import mount

    mount(app)
    return app


def from_env() -> FastAPI:
    "The factory `gongkai serve` hands uvicorn, so every worker process opens the same store (GONGKAI_DB)."
    return create_app(os.environ.get("GONGKAI_DB"))
