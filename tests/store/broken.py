"""Broken inputs for the batch test: each is something a crawler really brings home."""
from __future__ import annotations

import random


def pdf_bytes(text: str = "2021 annual report") -> bytes:
    "A small valid one-page PDF (hand-built objects and xref table)."
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def broken_files() -> dict[str, bytes]:
    "File name → bytes of inputs that must each be recorded as a failure with its reason."
    rng = random.Random(7)
    full = pdf_bytes()
    return {
        "截断的年报.pdf": full[: len(full) // 2],  # a download cut off half way
        "乱码.txt": bytes(rng.randrange(256) for _ in range(4096)),  # binary junk saved as .txt
        "空文件.html": b"",
        "植树通知.html": ("<html><head><title>关于开展春季植树活动的通知</title></head><body>"
                      "<h1>关于开展春季植树活动的通知</h1><p>各单位：为改善生态环境，定于3月12日组织植树活动，"
                      "请各单位按时参加。</p></body></html>").encode("utf-8"),  # a page that is not a report
    }
