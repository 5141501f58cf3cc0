"""Render one report to a file: the output type chosen by the file's suffix (.docx .html .md .txt)."""
from __future__ import annotations

from pathlib import Path

from gongkai.model import Report
from gongkai.render.errors import RenderError
from gongkai.render.outline import Outline, build_outline

TYPES = ("docx", "html", "md", "txt")


def outline_to(outline: Outline, to: str) -> bytes:
    "Serialise an outline as one output type."
    if to == "docx":
        from gongkai.render.docx import outline_to_docx
        return outline_to_docx(outline)
    if to == "html":
        from gongkai.render.html import outline_to_html
        return outline_to_html(outline).encode("utf-8")
    from gongkai.render.text import outline_to_markdown, outline_to_text
    if to == "md":
        return outline_to_markdown(outline).encode("utf-8")
    if to == "txt":
        return outline_to_text(outline).encode("utf-8")
    raise RenderError(f"不支持的输出类型：{to}（可用：{'、'.join(TYPES)}）")


def render_bytes(report: dict | Report, to: str, *, format: str | None = None, prose=None) -> bytes:
    "A report in the official layout as bytes of one output type: docx, html, md or txt."
    return outline_to(build_outline(report, format=format, prose=prose), to.lower().lstrip("."))


def render_report(report: dict | Report, path: str | Path, *, format: str | None = None, prose=None) -> Path:
    """Write a report in the official layout; the type follows the suffix of `path`.

    format: '2019' or '2021' to override the report's own; prose: a TOML/JSON/Markdown file (or dict) giving
    the six sections' text, else plain sentences are written from the figures.
    """
    path = Path(path)
    to = path.suffix.lower().lstrip(".")
    if to not in TYPES:
        raise RenderError(f"无法根据文件名 {path.name} 判断输出类型：请用 .docx、.html、.md 或 .txt 结尾")
    data = render_bytes(report, to, format=format, prose=prose)
    try:
        path.write_bytes(data)
    except OSError as e:
        raise RenderError(f"无法写入 {path}：{e.strerror or e}") from None
    return path
