"""The prose of the six sections: read from a --prose file (TOML/JSON/Markdown), or written plainly from the figures."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from gongkai.formats.schema import FormatSpec
from gongkai.parse.normalize import key
from gongkai.render.errors import RenderError

NUMERALS = "一二三四五六七八九十"
_HEADING = re.compile(r"^\s*#{1,6}\s*(.+?)\s*#*\s*$")


def section_number(title: str, spec: FormatSpec) -> int | None:
    "Which of the six sections a heading or key names: '3', '三、…', '收到和处理政府信息公开申请情况' → 3."
    t = key(str(title))
    if t.isdigit() and 1 <= int(t) <= len(spec.sections):
        return int(t)
    for i, name in enumerate(spec.sections, start=1):
        if key(name) in t:
            return i
    m = re.match(rf"^([{NUMERALS}])、", t)
    return NUMERALS.index(m.group(1)) + 1 if m and NUMERALS.index(m.group(1)) < len(spec.sections) else None


def _paragraphs(text: Any) -> list[str]:
    if isinstance(text, list):
        return [str(p).strip() for p in text if str(p).strip()]
    return [p.strip() for p in str(text).splitlines() if p.strip()]


def _from_mapping(data: dict, spec: FormatSpec, where: str) -> dict[int, list[str]]:
    data = data.get("sections", data) if isinstance(data.get("sections"), dict) else data
    out = {}
    for k, v in data.items():
        n = section_number(k, spec)
        if n is None:
            raise RenderError(f"{where}：无法识别的章节“{k}”（应为 1–6 或章节名称，如“总体情况”）")
        out[n] = _paragraphs(v)
    return out


def _from_markdown(text: str, spec: FormatSpec, where: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    current = None
    for line in text.splitlines():
        m = _HEADING.match(line)
        n = section_number(m.group(1), spec) if m else None
        if m and n is None and current is None:
            continue  # a title line above the first section
        if n is not None and (m or current is None):
            current = n
            out.setdefault(n, [])
        elif current is not None and line.strip():
            out[current].append(line.strip())
    if not out:
        raise RenderError(f"{where}：没有找到任何章节标题（如“# 一、总体情况”）")
    return out


def load_prose(source: str | Path | dict, spec: FormatSpec) -> dict[int, list[str]]:
    "Section number (1–6) → paragraphs, from a TOML/JSON/Markdown file, or a dict already loaded."
    if isinstance(source, dict):
        return _from_mapping(source, spec, "prose")
    path = Path(source)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise RenderError(f"无法读取正文文件 {path}：{e}") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            return _from_mapping(tomllib.loads(text), spec, str(path))
        if suffix == ".json":
            return _from_mapping(json.loads(text), spec, str(path))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as e:
        raise RenderError(f"正文文件 {path} 格式错误：{e}") from None
    return _from_markdown(text, spec, str(path))


def _n(cells: dict, *ids: str) -> str:
    total = sum(cells.get(i) or 0 for i in ids)
    return str(int(total)) if float(total).is_integer() else str(total)


def _requests(cells: dict, spec: FormatSpec) -> list[str]:
    req = spec.table("requests")
    ids = {r.cells[-1].rsplit(".", 1)[0].split(".", 1)[1]: r for r in req.rows if r.cells}
    def part(prefix: str) -> str:
        return _n(cells, *(f"requests.{k}.total" for k in ids if k == prefix or k.startswith(prefix + "_")))
    return [
        f"本年度共收到政府信息公开申请{_n(cells, 'requests.new.total')}件，上年结转{_n(cells, 'requests.carried_over.total')}件；"
        f"本年度办理完结{_n(cells, 'requests.total.total')}件，其中予以公开{part('granted')}件，部分公开{part('partial')}件，"
        f"不予公开{part('denied')}件，无法提供{part('unable')}件，不予处理{part('declined')}件，其他处理{part('other')}件；"
        f"结转下年度继续办理{_n(cells, 'requests.carried_forward.total')}件。"
    ]


def _appeals(cells: dict) -> str:
    return (f"本年度因政府信息公开工作被申请行政复议{_n(cells, 'appeals.review.total')}件，被提起行政诉讼"
            f"{_n(cells, 'appeals.suit_direct.total', 'appeals.suit_after_review.total')}件。")


def _legacy(cells: dict) -> dict[int, list[str]]:
    "The 2008 prose era: figures are stated in sentences, in the wording the format's prose cues read."
    return {
        1: ["本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，各项工作有序推进。"],
        3: [f"政府信息公开申请方面，本年度共受理{_n(cells, 'legacy.requests.received')}件。"],
        5: [f"行政复议方面，本年度共收到行政复议申请{_n(cells, 'legacy.review.total')}件，其中维持"
            f"{_n(cells, 'legacy.review.upheld')}件，纠正{_n(cells, 'legacy.review.corrected')}件，其他"
            f"{_n(cells, 'legacy.review.other')}件。",
            f"行政诉讼方面，本年度共发生行政诉讼案件{_n(cells, 'legacy.suit.total')}件，其中维持"
            f"{_n(cells, 'legacy.suit.upheld')}件，纠正{_n(cells, 'legacy.suit.corrected')}件，其他"
            f"{_n(cells, 'legacy.suit.other')}件。"],
        6: ["政府信息公开工作仍有不足，下一步将进一步规范公开程序，提高公开质量。"],
    }


def generate_prose(spec: FormatSpec, cells: dict, agency: str) -> dict[int, list[str]]:
    "Plain sentences from the figures, for the sections a --prose file does not give."
    if spec.table("requests") is None:
        return _legacy(cells)
    who = agency or "本机关"
    return {
        1: [f"本年度，{who}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。"]
           + _requests(cells, spec) + [_appeals(cells)],
        5: ["本年度政府信息公开工作仍存在一些不足，主要是公开内容的深度和广度有待拓展。",
            "下一步，将进一步完善工作机制，加强业务培训，不断提升政府信息公开工作质量。"],
        6: ["无其他需要报告的事项。"],
    }
