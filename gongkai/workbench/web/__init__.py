"""The workbench's web pages, mounted on the web app by `mount(app)`: staff login, queue, requests, statistics,
and the applicant's lookup. Personal data is shown only to logged-in staff, on purpose, and each view is logged."""
from __future__ import annotations

from fastapi import FastAPI

from gongkai.workbench.errors import WorkbenchError


def mount(app: FastAPI) -> None:
    "Add the workbench routes and their refusal handler; works on the web app and on a bare FastAPI()."
    from gongkai.workbench.web import auth, lookup, staff
    from gongkai.workbench.web.deps import refused

    for module in (auth, staff, lookup):
        app.include_router(module.router)
    app.add_exception_handler(WorkbenchError, refused)  # type: ignore[arg-type]
