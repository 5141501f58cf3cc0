"""Web load: requests/s and p95 latency of the report page and the parse endpoint, `gongkai serve --workers 2`.

A bounded loopback test with wrk (the seeds ingested into a temporary SQLite store; seed 004 is the report shown
and the file parsed). wrk shares the machine's cores with the server, so the figures are a floor. Prints numbers,
asserts nothing.

    PYTHONPATH=. python bench/web_load.py [--seconds 10] [--connections 4] [--workers 2]
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"  # ../shared beside the checkout
SEED = SEEDS / "004_9bf3dd1d6b9a4ab2.txt"
BOUNDARY = "gongkaibench"
# wrk's own summary has no p95: this script prints it, with the rate, from wrk's latency histogram.
DONE = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.1f %.1f %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""
POST = """
local f = io.open("{body}", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "multipart/form-data; boundary={boundary}"
"""


def multipart(path: Path) -> bytes:
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    return head + path.read_bytes() + f"\r\n--{BOUNDARY}--\r\n".encode()


def wrk(url: str, script: Path, seconds: int, connections: int) -> dict[str, float]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), url]
    out = subprocess.run(command,
                         capture_output=True, text=True, check=True).stdout
    rate, p50, p95, n, errors = re.search(r"RESULT (\S+) (\S+) (\S+) (\d+) (\d+)", out).groups()
    return {"rate": float(rate), "p50": float(p50), "p95": float(p95), "requests": int(n), "errors": int(errors)}


def serve(db: str, port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", "from gongkai.cli import app; app()", "serve", "--db", db,
                             "--port", str(port), "--workers", str(workers)], stdout=subprocess.DEVNULL)
    for _ in range(150):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    from gongkai.store import ingest

    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/bench.db"
        ingest(sorted(SEEDS.glob("*.txt")), db)
        base = f"http://127.0.0.1:{args.port}"
        proc = serve(db, args.port, args.workers)
        try:
            rows = httpx.get(base + "/api/reports", params={"agency": "金东区"}).json()["reports"]
            page = f"{base}/reports/{rows[0]['id']}"
            body, get_lua, post_lua = Path(tmp, "body"), Path(tmp, "get.lua"), Path(tmp, "post.lua")
            body.write_bytes(multipart(SEED))
            get_lua.write_text(DONE)
            post_lua.write_text(POST.format(body=body, boundary=BOUNDARY) + DONE)
            for url, script in ((page, get_lua), (base + "/api/parse", post_lua)):  # warm every worker
                wrk(url, script, 2, args.connections)
            runs = {"report page  GET /reports/{id}": (page, get_lua),
                    "parse        POST /api/parse": (base + "/api/parse", post_lua)}
            results = {name: wrk(url, script, args.seconds, args.connections) for name, (url, script) in runs.items()}
        finally:
            proc.terminate()
            proc.wait(15)
    print(f"gongkai serve --workers {args.workers}; wrk -t1 -c{args.connections} -d{args.seconds}s on loopback "
          f"(wrk shares the same cores)")
    for name, r in results.items():
        print(f"{name}: {r['rate']:7.1f} req/s   p50 {r['p50']:6.1f} ms   p95 {r['p95']:6.1f} ms   "
              f"({r['requests']} requests, {r['errors']} errors)")


if __name__ == "__main__":
    main()
