"""Rich rendering of the store's results: the ingest progress bar and summary, compare tables."""
from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, \
    TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text


class RateColumn(ProgressColumn):
    "Files per second over the whole run (Rich's own speed column is for bytes)."

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0
        rate = task.completed / elapsed if elapsed > 0 else 0
        return Text(f"{rate:,.0f} 个/秒", style="progress.data.speed")


@contextmanager
def ingest_progress(total: int, enabled: bool = True,
                    console: Console | None = None) -> Iterator[Callable[[int], None]]:
    "A progress bar over the batch's inputs; yields tick(n) to advance it (a no-op when disabled)."
    if not enabled:
        yield lambda n=1: None
        return
    progress = Progress(TextColumn("入库"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeElapsedColumn(),
                        TextColumn("剩余"), TimeRemainingColumn(), console=console or Console(stderr=True))
    task = progress.add_task("ingest", total=total)
    with progress:
        yield lambda n=1: progress.advance(task, n)


def render_summary(summary, console: Console | None = None) -> None:  # type: ignore[no-untyped-def]
    "The closing lines of `gongkai ingest`: counts, speed, and a table of the files that failed and why."
    console = console or Console()
    rate = summary.read / summary.seconds if summary.seconds else 0
    parts = [f"新增 {summary.new}", f"更新 {summary.updated}", f"未变 {summary.unchanged}"]
    if summary.duplicate:
        parts.append(f"重复 {summary.duplicate}")
    parts.append(f"[red]失败 {len(summary.failed)}[/red]" if summary.failed else "失败 0")
    console.print(" · ".join(parts) + f"（共 {summary.total} 个文件，用时 {summary.seconds:.1f} 秒，"
                                      f"读取 {rate:,.0f} 份/秒）")
    if summary.failed:
        table = Table(title="未能入库的文件", title_justify="left", show_lines=False)
        table.add_column("文件", overflow="fold")
        table.add_column("代码", style="dim")
        table.add_column("原因", overflow="fold")
        for f in summary.failed:
            table.add_row(f.source, f.code, f.message)
        console.print(table)


# Columns of the compare frames (query.HEADLINE) as the tables print them.
HEADINGS = {
    "agency": "机关", "region": "地区", "year": "年度", "format": "格式",
    "received": "收到申请", "received_change": "较上年", "granted_share": "予以公开占比",
    "unable_share": "无法提供占比", "appeals": "复议诉讼", "corrected": "被纠错",
}


def render_compare(frame, title: str, console: Console | None = None) -> None:  # type: ignore[no-untyped-def]
    "A compare frame (compare_agency / compare_year) as a Rich table with Chinese headings."
    console = console or Console()
    if frame.empty:
        console.print(f"{title}：数据库中没有符合条件的报告")
        return
    table = Table(title=title, title_justify="left")
    columns = [c for c in HEADINGS if c in frame.columns]
    for c in columns:
        table.add_column(HEADINGS[c], justify="left" if c in ("agency", "region", "format") else "right")
    frame = frame.astype(object).where(frame.notna(), None)  # pd.NA and NaN both print as a dash
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(c, getattr(row, c)) for c in columns))
    console.print(table)


def _cell(column: str, value) -> str:  # type: ignore[no-untyped-def]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if column == "year":
        return str(int(value))
    if column.endswith("_share"):
        return f"{value:.1%}"
    if column == "received_change":
        return f"{value:+.1%}"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return str(value) if not isinstance(value, (int, float)) else f"{value:,}"
