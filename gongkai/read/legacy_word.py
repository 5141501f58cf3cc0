"""Word 97–2003 (.doc) and WPS (.wps) → Document, by converting to DOCX with LibreOffice headless."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from gongkai.model import Document
from gongkai.read.docx import read_docx
from gongkai.read.errors import UnreadableError

TIMEOUT = 120  # seconds for one conversion; a file that hangs LibreOffice is reported, not waited on


def soffice() -> str | None:
    "The LibreOffice binary, if installed."
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy_word(data: bytes, name: str) -> Document:
    "Convert a .doc/.wps to DOCX in a temporary folder, then read it as DOCX."
    kind = "WPS" if name.lower().endswith(".wps") else "Word 97–2003（.doc）"
    binary = soffice()
    if binary is None:
        raise UnreadableError("read.convert.unavailable", name, kind=kind)
    converted = convert(data, "docx", name, binary)
    doc = read_docx(converted, name)
    return replace(doc, container="doc")


def convert(data: bytes, to: str, name: str, binary: str | None = None) -> bytes:
    "Convert bytes with `soffice --headless --convert-to`; raises UnreadableError on failure or timeout."
    binary = binary or soffice()
    if binary is None:
        raise UnreadableError("read.convert.unavailable", name, kind=Path(name).suffix or "此类")
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in (".doc", ".wps", ".docx", ".rtf") else ".doc"
    with tempfile.TemporaryDirectory(prefix="gongkai-lo-") as tmp:
        src = Path(tmp, "input" + suffix)
        src.write_bytes(data)
        # A private profile per run: concurrent conversions sharing ~/.config/libreoffice block each other.
        profile = Path(tmp, "profile").as_uri()
        cmd = [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", to,
               "--outdir", tmp, str(src)]
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, start_new_session=True,
                                 env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise UnreadableError("read.convert.failed", name, detail=f"转换超过 {TIMEOUT} 秒未完成") from None
        except OSError as e:
            raise UnreadableError("read.convert.failed", name, detail=str(e)) from None
        out = Path(tmp, "input." + to.split(":")[0])
        if run.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            tail = (run.stderr or run.stdout or b"").decode("utf-8", "replace").strip()[-200:]
            raise UnreadableError("read.convert.failed", name, detail=tail or f"退出码 {run.returncode}")
        return out.read_bytes()
