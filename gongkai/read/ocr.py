"""Scanned PDF pages → text lines with Tesseract (the binary, on page images rendered by pypdfium2)."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from gongkai.findings import finding
from gongkai.model import Document
from gongkai.read.errors import UnreadableError
from gongkai.read.layout import Writer

MAX_PAGES = 40
TIMEOUT = 120  # seconds per page
SCALE = 300 / 72  # render at 300 dpi, where chi_sim is most accurate
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# Tesseract's chi_sim puts a space between every two Chinese characters; none was printed.
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")


def tesseract() -> str | None:
    "The tesseract binary, if installed with Simplified Chinese data."
    binary = shutil.which("tesseract")
    if binary is None:
        return None
    try:
        langs = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return binary if "chi_sim" in langs.split() else None


def ocr_pdf(data: bytes, name: str) -> Document:
    "OCR every page of a PDF without a text layer; raises read.ocr.needed when Tesseract is missing."
    binary = tesseract()
    if binary is None:
        raise UnreadableError("read.ocr.needed", name)
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(data)
    w = Writer()
    pages = min(len(pdf), MAX_PAGES)
    try:
        with tempfile.TemporaryDirectory(prefix="gongkai-ocr-") as tmp:
            for index in range(pages):
                page = pdf[index]
                image = Path(tmp, f"p{index + 1}.png")
                page.render(scale=SCALE, grayscale=True).to_pil().save(image)
                height = page.get_size()[1]
                page.close()
                for text, bbox in _ocr_lines(binary, image, height):
                    w.line(text, page=index + 1, bbox=bbox)
    finally:
        pdf.close()
    if not w.text.strip():
        raise UnreadableError("read.ocr.needed", name)
    return Document(w.text, name, container="pdf", locs=w.sorted_locs(),
                    findings=(finding("read.ocr.used", pages=pages),))


def _ocr_lines(binary: str, image: Path, height: float) -> list[tuple[str, tuple[float, float, float, float]]]:
    "One page image → its lines with boxes in PDF points, from Tesseract's TSV output."
    try:
        run = subprocess.run([binary, str(image), "stdout", "-l", "chi_sim", "--psm", "6", "tsv"],
                             capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return []
    lines: dict[tuple[str, str, str], list] = {}
    for row in run.stdout.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        key = (f[2], f[3], f[4])  # block, paragraph, line
        left, top, width, h = (int(v) for v in f[6:10])
        lines.setdefault(key, []).append((left, top, left + width, top + h, f[11]))
    out = []
    for words in lines.values():
        text = _CJK_GAP.sub("", " ".join(word[4] for word in words))
        box = tuple(round(v / SCALE, 1) for v in (min(w[0] for w in words), min(w[1] for w in words),
                                                   max(w[2] for w in words), max(w[3] for w in words)))
        out.append((text, box))
    return out
