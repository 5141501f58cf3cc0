"""HTML writer: the outline through a Jinja2 template, with real rowspan/colspan and printable CSS, no external assets."""
from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from gongkai.render.outline import Outline


@cache
def _env() -> Environment:
    return Environment(loader=PackageLoader("gongkai.render", "templates"), autoescape=select_autoescape(["html"]),
                       trim_blocks=False, lstrip_blocks=False)


def outline_to_html(outline: Outline) -> str:
    "The report as one self-contained HTML page."
    return _env().get_template("report.html").render(outline=outline, meta=outline.meta)
