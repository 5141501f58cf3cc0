"""Markdown and plain-text writers: headings, paragraphs and pipe tables (spanned cells repeated, as readers flatten them)."""
from __future__ import annotations

from gongkai.render.layout import Grid
from gongkai.render.outline import Outline


def pipe_rows(grid: Grid, dense: bool = True) -> list[list[str]]:
    """Each grid row as a list of cell texts.

    dense: one text per grid column, a spanned label or header repeated wherever it reaches (so every line reads
    alone, as readers flatten DOCX/HTML tables), a spanned value printed once and its other positions empty.
    not dense: only the slots that start in the row, as pasted tables print them (seed 004).
    """
    if not dense:
        return [[s.text for s in row] for row in grid.rows()]
    out = []
    for r, row in enumerate(grid.dense()):
        out.append([s.text if s is not None and (s.kind != "value" or (s.row, s.col) == (r, c)) else ""
                    for c, s in enumerate(row)])
    return out


def pipe_line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def outline_to_markdown(outline: Outline) -> str:
    "The report as Markdown: # title, ## sections, GFM pipe tables under their first header row."
    lines = [f"# {outline.title}", ""]
    for p in outline.preface:
        lines += [p, ""]
    for sec in outline.sections:
        lines += [f"## {sec.heading}", ""]
        for p in sec.paragraphs:
            lines += [p, ""]
        for g in sec.grids:
            if sec.unit:
                lines += [sec.unit, ""]
            rows = pipe_rows(g)
            lines.append(pipe_line(rows[0]))
            lines.append(pipe_line(["---"] * g.width))
            lines += [pipe_line(r) for r in rows[1:]]
            lines.append("")
    lines += [s for s in outline.signature] + [""] if outline.signature else []
    return "\n".join(lines).rstrip() + "\n"


def outline_to_text(outline: Outline) -> str:
    "The report as plain text: title line, sections, one pipe line per table row."
    lines = [outline.title, ""]
    lines += list(outline.preface) + [""]
    for sec in outline.sections:
        lines.append(sec.heading)
        lines += list(sec.paragraphs)
        for g in sec.grids:
            if sec.unit:
                lines.append(sec.unit)
            lines += [pipe_line(r) for r in pipe_rows(g, dense=False)]
        lines.append("")
    lines += list(outline.signature)
    return "\n".join(lines).rstrip() + "\n"
