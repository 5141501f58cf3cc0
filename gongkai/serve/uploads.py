"""An upload → a checked Report, stored only when the user asks."""
from __future__ import annotations

from fastapi import Request, UploadFile
from starlette.concurrency import run_in_threadpool

from gongkai.model import Report
from gongkai.serve.limits import upload_bytes
from gongkai.serve.stored import save_upload


async def check_upload(request: Request, file: UploadFile | None, text: str | None,
                       save: bool = False) -> tuple[Report, int | None]:
    "Read, parse and check the upload under the app's limits; (report, its id in the store or None)."
    state = request.app.state
    data, name = await upload_bytes(file, text, state.limits)
    report = await run_in_threadpool(state.parser.run, data, name)
    # A file without a single cell is no report to keep (ingest records it as store.no_cells).
    saved = await run_in_threadpool(save_upload, state.db_url, report, data, name) if save and report.cells else None
    return report, saved
