"""Inputs of a batch: files, folders walked recursively, and members of zip archives, each with its size and mtime."""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

# What a folder walk picks up: every container the reader knows. A file named on the command line is always
# taken, whatever its name, so an odd download (报告.asp) can still be read on purpose.
REPORT_SUFFIXES = frozenset({".txt", ".text", ".md", ".htm", ".html", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx",
                             ".php", ".pdf", ".docx", ".doc", ".wps"})
MEMBER_SEP = "!"  # archive.zip!folder/member.pdf


@dataclass(frozen=True, slots=True)
class Input:
    "One report file to read: a path on disk, or a member of a zip archive."

    source: str  # the name stored and shown: the path, or archive!member
    path: str  # the file on disk (the archive, for a member)
    member: str | None
    size: int
    mtime_ns: int  # of the file, or of the archive for a member: an unchanged archive has unchanged members


def walk(paths: Iterable[str | Path]) -> Iterator[Input]:
    "Every input under the given paths, in a stable order; a missing path yields an input that fails to read."
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    f = Path(root, name)
                    suffix = f.suffix.lower()
                    if suffix == ".zip":
                        yield from _members(f)
                    elif suffix in REPORT_SUFFIXES:
                        yield _file(f)
        elif path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
            yield from _members(path)
        else:
            yield _file(path)


def _file(path: Path) -> Input:
    try:
        st = path.stat()
    except OSError:
        return Input(str(path), str(path), None, -1, -1)  # read() will name the error
    return Input(str(path), str(path), None, st.st_size, st.st_mtime_ns)


def _members(archive: Path) -> Iterator[Input]:
    st = archive.stat()
    try:
        with zipfile.ZipFile(archive) as z:
            infos = sorted(z.infolist(), key=lambda i: i.filename)
    except (zipfile.BadZipFile, OSError):
        yield Input(str(archive), str(archive), None, st.st_size, st.st_mtime_ns)  # recorded as unreadable
        return
    for info in infos:
        if info.is_dir() or Path(info.filename).suffix.lower() not in REPORT_SUFFIXES:
            continue
        name = _member_name(info)
        if Path(name).name.startswith("."):
            continue
        yield Input(f"{archive}{MEMBER_SEP}{name}", str(archive), info.filename, info.file_size, st.st_mtime_ns)


def _member_name(info: zipfile.ZipInfo) -> str:
    "The member's name as its author typed it: archives made on Chinese Windows store GBK names without the UTF-8 flag."
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def load(item: Input) -> bytes:
    "The input's bytes; OSError or BadZipFile when it cannot be read."
    if item.member is None:
        with open(item.path, "rb") as f:  # not Path.read_bytes: the planner reads every new file, on the writer's core
            return f.read()
    return _archive(item.path, item.mtime_ns).read(item.member)


@lru_cache(maxsize=4)
def _archive(path: str, mtime_ns: int) -> zipfile.ZipFile:
    "An open archive, kept: reopening it per member would re-read a 10,000-member directory 10,000 times."
    return zipfile.ZipFile(path)


# A forked worker must not share the parent's open archives: both would move the same file offset.
os.register_at_fork(after_in_child=_archive.cache_clear)
