"""Build every seed's gold report as its author would publish it: a GBK HTML page, a DOCX, a PDF made from it.

    python eval/build_containers.py OUT [--gold DIR]

writes OUT/html/NAME.html (GBK, real rowspan/colspan tables), OUT/docx/NAME.docx (python-docx, merged header
cells) and OUT/pdf/NAME.pdf (that DOCX through LibreOffice headless); then score each folder with
`python ../shared/tools/score.py --gold DIR --inputs OUT/pdf --cmd 'gongkai parse {input} --json'`.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from gongkai.render import render_bytes

GOLD = Path(__file__).resolve().parents[2] / "shared" / "spec" / "gold"


def gbk_page(html: str) -> bytes:
    "The rendered page re-declared and re-encoded as GBK, as most county CMS sites still serve it."
    html = re.sub(r'<meta\s+charset="?utf-8"?\s*/?>', '<meta http-equiv="Content-Type" content="text/html; charset=gbk">',
                  html, count=1, flags=re.I)
    return html.encode("gbk", errors="xmlcharrefreplace")


def to_pdf(docx_files: list[Path], out: Path) -> None:
    "Convert DOCX files to PDF in one LibreOffice run, with a private profile."
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, docx_files)], check=True, capture_output=True, timeout=600)


def main() -> None:
    ap = argparse.ArgumentParser(description="为每份种子年报生成 HTML（GBK）、DOCX 与 PDF 三种容器")
    ap.add_argument("out", type=Path)
    ap.add_argument("--gold", type=Path, default=GOLD)
    args = ap.parse_args()
    folders = {kind: args.out / kind for kind in ("html", "docx", "pdf")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    docx_files = []
    for gold in sorted(args.gold.glob("*.json")):
        report = json.loads(gold.read_text("utf-8"))
        (folders["html"] / f"{gold.stem}.html").write_bytes(gbk_page(render_bytes(report, "html").decode("utf-8")))
        path = folders["docx"] / f"{gold.stem}.docx"
        path.write_bytes(render_bytes(report, "docx"))
        docx_files.append(path)
    if shutil.which("soffice"):
        to_pdf(docx_files, folders["pdf"])
    print(f"{len(docx_files)} reports → {', '.join(str(f) for f in folders.values())}")


if __name__ == "__main__":
    main()
