"""Render stage: cells → the official annual report (DOCX, HTML, Markdown, text), summary reports, damaged copies."""
from __future__ import annotations

from gongkai.render.aggregate import aggregate
from gongkai.render.damage import SHAPES, damage
from gongkai.render.errors import AggregateError, RenderError
from gongkai.render.write import TYPES, render_bytes, render_report

__all__ = ["render_report", "render_bytes", "aggregate", "damage", "SHAPES", "TYPES", "RenderError", "AggregateError"]
