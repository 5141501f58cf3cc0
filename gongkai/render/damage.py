"""Damaged copies of a report, in the shapes real published reports take (for round-trip tests and benchmarks)."""
from __future__ import annotations

import html as markup
import random
import re
from collections.abc import Callable
from functools import cache

import opencc

from gongkai.model import Report
from gongkai.render.errors import RenderError
from gongkai.render.layout import Grid, Slot
from gongkai.render.outline import Outline, build_outline
from gongkai.render.text import outline_to_text, pipe_rows

SHAPES = ("pipes", "one-per-line", "concatenated", "spaces", "pdf-markdown", "word-html", "traditional", "mojibake")

TableLines = Callable[[Grid, random.Random], list[str]]


def _compose(outline: Outline, table: TableLines, rng: random.Random, *, heading: str = "{}",
             wrap: int | None = None) -> list[str]:
    "Title, preface, sections and tables in reading order, each table flattened by `table`."
    lines = [outline.title, ""]
    for p in outline.preface:
        lines += _wrap(p, wrap, rng) + [""]
    for sec in outline.sections:
        lines.append(heading.format(sec.heading))
        for p in sec.paragraphs:
            lines += _wrap(p, wrap, rng)
        for g in sec.grids:
            if sec.unit:
                lines.append(sec.unit)
            lines += table(g, rng)
        lines.append("")
    return lines + list(outline.signature)


def _wrap(text: str, width: int | None, rng: random.Random) -> list[str]:
    "Hard-wrap a paragraph as PDF text extraction does (about `width` characters a line)."
    if not width:
        return [text]
    out, i = [], 0
    while i < len(text):
        n = width + rng.randint(-2, 2)
        out.append(text[i:i + n])
        i += n
    return out


def _row_texts(row: list[Slot]) -> tuple[list[str], list[str | None]]:
    "Label/header texts and value texts (None for a printed blank) of the slots starting in one row."
    heads = [s.text for s in row if s.kind != "value"]
    values = [s.text or None for s in row if s.kind == "value"]
    return heads, values


# -- pipes: seed 004/000 — spans omitted, rows padded with empty cells to the table width ----------------------

def _space_inside(word: str, rng: random.Random) -> str:
    "A header word broken by a stray space, as table cells narrower than the word print it (结果 维持)."
    if len(word) < 4 or not re.fullmatch(r"[\u4e00-\u9fff]+", word) or rng.random() > 0.3:
        return word
    i = rng.randint(1, len(word) - 1)
    return word[:i] + " " + word[i:]


def _pipes(g: Grid, rng: random.Random) -> list[str]:
    rows = g.rows()
    pad = rng.random() < 0.7
    merge = g.header_rows > 1 and rng.random() < 0.4
    lines = []
    for i, row in enumerate(rows):
        cells = [_space_inside(s.text, rng) if s.kind == "head" else s.text for s in row]
        line = " | ".join(cells) + " |" + ("|" * (g.width - len(cells)) if pad and len(cells) < g.width else "")
        if merge and 0 < i < g.header_rows:
            lines[-1] = lines[-1].rstrip("|").rstrip() + " | " + line  # header rows run into one line
        else:
            lines.append(line)
    return lines


# -- one cell per line: seed 002 — blank cells as runs of NBSP/U+3000, cells between empty lines ---------------

def _one_per_line(g: Grid, rng: random.Random) -> list[tuple[str, bool]]:
    "Each printed cell as an item; a run of blank cells in a row is one item of NBSP (or U+3000) marks."
    space = rng.choice(["\u00a0", "\u3000"])
    out: list[tuple[str, bool]] = []
    for row in g.rows():
        run = 0
        for s in row + [None]:
            if s is not None and s.kind == "value" and not s.text:
                run += 1
                continue
            if run:
                out.append((" ".join([space] * run), True))
                run = 0
            if s is not None:
                out.append((s.text, False))
    return out


def _one_per_line_text(outline: Outline, rng: random.Random) -> str:
    "Page text as seed 002 reads: every item between empty lines, a line of two spaces after each but a blank run."
    items: list[tuple[str, bool]] = [(outline.title, False)] + [(p, False) for p in outline.preface]
    for sec in outline.sections:
        items.append(("  " + sec.heading, False))
        items += [(p, False) for p in sec.paragraphs]
        for g in sec.grids:
            if sec.unit:
                items.append((sec.unit, False))
            items += _one_per_line(g, rng)
    items += [(t, False) for t in outline.signature]
    return "".join(text + ("\n\n" if run else "\n\n  \n\n") for text, run in items)


# -- concatenated: the requests table's cells run together with no separator (一、本年新收…640020470) -----------

def _concatenated(g: Grid, rng: random.Random) -> list[str]:
    if g.table != "requests":
        return _pipes(g, rng)
    lines = []
    for row in g.rows():
        heads, values = _row_texts(row)
        lines.append("".join(heads) + "".join(v for v in values if v))
    return lines


# -- spaces: PDF text extraction, cells separated by single spaces, blank cells gone -------------------------------

def _spaces(g: Grid, rng: random.Random) -> list[str]:
    return [" ".join(s.text for s in row if s.text) for row in g.rows()]


# -- pdf-markdown: tables as markdown with page footers inside, hard-wrapped labels, rows split over lines ------

def _md(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _pdf_markdown(g: Grid, rng: random.Random) -> list[str]:
    rows = pipe_rows(g, dense=False)
    grid_rows = g.rows()
    widths = g.width
    out = [_md(rows[0] + [""] * (widths - len(rows[0]))), _md(["---"] * widths)]
    footer_at = rng.randrange(1, len(rows)) if len(rows) > 6 else None
    for i, (cells, slots) in enumerate(zip(rows[1:], grid_rows[1:]), start=1):
        if i == footer_at:  # a page ends inside the table: footer line, then the table goes on with a new header
            out += ["", f"— {rng.randint(2, 9)} —", "", _md([""] * widths), _md(["---"] * widths)]
        padded = cells + [""] * (widths - len(cells))
        labels = [s for s in slots if s.kind == "label"]
        long = [j for j, s in enumerate(slots) if s.kind == "label" and len(s.text) > 16]
        roll = rng.random()
        if long and roll < 0.4:  # a long label hard-wrapped: its tail on the next line, every other cell empty
            j = long[-1]
            cut = rng.randint(8, len(padded[j]) - 4)
            tail = padded[j][cut:]
            padded[j] = padded[j][:cut]
            out += [_md(padded), _md([""] * j + [tail] + [""] * (widths - j - 1))]
        elif labels and any(s.kind == "value" and s.text for s in slots) and roll > 0.85:  # the values on a line of their own
            k = len(labels)
            out += [_md(padded[:k] + [""] * (widths - k)), _md([""] * k + padded[k:])]
        else:
            out.append(_md(padded))
    return out + [""]


# -- word-html: a page saved from Word — spans, font tags, o:p nbsp, GB2312 -----------------------------------

_WORD_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<title>{title}</title>
<!--[if gte mso 9]><xml>
 <w:WordDocument><w:View>Print</w:View><w:Zoom>100</w:Zoom></w:WordDocument>
</xml><![endif]-->
<style>
<!--
p.MsoNormal, li.MsoNormal, div.MsoNormal {{margin:0cm;text-align:justify;font-size:10.5pt;font-family:"Times New Roman";}}
span.SpellE {{mso-style-name:"";}}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>
"""


def _word_runs(text: str, rng: random.Random) -> str:
    "Text cut into the runs Word leaves behind, some wrapped in <font> tags."
    if not text:
        return "<span lang=EN-US><o:p>&nbsp;</o:p></span>"
    pieces, i = [], 0
    while i < len(text):
        n = rng.randint(2, 9)
        pieces.append(text[i:i + n])
        i += n
    out = []
    for p in pieces:
        esc = markup.escape(p, quote=False)
        lang = " lang=EN-US" if re.fullmatch(r"[\d.\-]+", p) else ""
        if rng.random() < 0.2:
            out.append(f"<font face=\"仿宋_GB2312\"><span{lang}>{esc}</span></font>")
        else:
            out.append(f"<span{lang} style='font-family:仿宋_GB2312;mso-hansi-font-family:\"Times New Roman\"'>{esc}</span>")
    return "".join(out) + "<span lang=EN-US><o:p></o:p></span>"


def _word_html(outline: Outline, rng: random.Random) -> bytes:
    parts = [_WORD_HEAD.format(title=markup.escape(outline.title))]
    para = "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>{}</p>\n"
    parts.append(f"<p class=MsoNormal align=center style='text-align:center'><b>{_word_runs(outline.title, rng)}</b></p>\n")
    parts += [para.format(_word_runs(p, rng)) for p in outline.preface]
    for sec in outline.sections:
        parts.append(para.format(f"<b>{_word_runs(sec.heading, rng)}</b>"))
        parts += [para.format(_word_runs(p, rng)) for p in sec.paragraphs]
        for g in sec.grids:
            if sec.unit:
                parts.append(f"<p class=MsoNormal align=right style='text-align:right'>{_word_runs(sec.unit, rng)}</p>\n")
            parts.append("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
                         "style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'>\n")
            for row in g.rows():
                parts.append("<tr style='height:20.0pt'>\n")
                for s in row:
                    span = (f" rowspan={s.rowspan}" if s.rowspan > 1 else "") + (f" colspan={s.colspan}" if s.colspan > 1 else "")
                    align = "left" if s.kind == "label" else "center"
                    parts.append(f" <td width={40 * s.colspan}{span} valign=middle style='border:solid windowtext 1.0pt;"
                                 f"padding:0cm 5.4pt 0cm 5.4pt'>\n  <p class=MsoNormal align={align} "
                                 f"style='text-align:{align}'>{_word_runs(s.text, rng)}</p>\n </td>\n")
                parts.append("</tr>\n")
            parts.append("</table>\n")
    parts += [f"<p class=MsoNormal align=right style='text-align:right'>{_word_runs(t, rng)}</p>\n" for t in outline.signature]
    parts.append("</div>\n</body>\n</html>\n")
    return "".join(parts).encode("gb18030", errors="xmlcharrefreplace")


# -- traditional script and mojibake, over the plain-text rendering ------------------------------------------------

@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def _mojibake(text: str, rng: random.Random) -> str:
    "A few Chinese characters (never digits, never the title or the statistics-period line) replaced by U+FFFD."
    lines = text.split("\n")
    protected = {0} | {i for i, l in enumerate(lines) if "统计期限" in l}
    spots = [(i, j) for i, l in enumerate(lines) if i not in protected
             for j, ch in enumerate(l) if "\u4e00" <= ch <= "\u9fff"]
    for i, j in rng.sample(spots, min(len(spots), rng.randint(3, 6))):
        lines[i] = lines[i][:j] + "\ufffd" + lines[i][j + 1:]
    return "\n".join(lines)


def damage(report: dict | Report, shape: str, seed: int = 0, *, format: str | None = None, prose=None) -> str | bytes:
    """The report written in one damaged shape of real published reports; the same seed gives the same output.

    Text shapes return str; word-html returns bytes (GB2312-declared, as Word saves it).
    """
    if shape not in SHAPES:
        raise RenderError(f"未知的损坏形态：{shape}（可用：{'、'.join(SHAPES)}）")
    rng = random.Random(seed)
    outline = build_outline(report, format=format, prose=prose)
    if shape == "word-html":
        return _word_html(outline, rng)
    if shape == "traditional":
        return _s2t().convert(outline_to_text(outline))
    if shape == "mojibake":
        return _mojibake(outline_to_text(outline), rng)
    if shape == "one-per-line":
        return _one_per_line_text(outline, rng)
    table, opts = {
        "pipes": (_pipes, {}),
        "concatenated": (_concatenated, {}),
        "spaces": (_spaces, {}),
        "pdf-markdown": (_pdf_markdown, {"heading": "## {}", "wrap": 38}),
    }[shape]
    return "\n".join(_compose(outline, table, rng, **opts)).rstrip() + "\n"
