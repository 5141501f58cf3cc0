"""`gongkai serve`: its help, and a real server with two worker processes over the store named by --db."""
from __future__ import annotations

import subprocess
import sys
import time

import httpx
from typer.testing import CliRunner

from gongkai.cli import app
from tests.browser import free_port
from tests.conftest import SEEDS, gold_of
from tests.serve.conftest import seed


def test_serve_help_has_examples():
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "示例" in result.output and "--workers" in result.output


def test_serve_with_two_workers(seeds_url):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from gongkai.cli import app; app()", "serve", "--db", seeds_url,
                             "--port", str(port), "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                reports = httpx.get(base + "/api/reports", timeout=2).json()
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise AssertionError(proc.stderr.read().decode() if proc.poll() is not None else "server did not start")
        assert reports["total"] == len(SEEDS)  # the workers opened the store given by --db, through GONGKAI_DB
        parsed = httpx.post(base + "/api/parse", files={"file": (seed(4).name, seed(4).read_bytes())}, timeout=30)
        assert parsed.status_code == 200 and parsed.json()["cells"] == gold_of(seed(4))["cells"]
    finally:
        proc.terminate()
        proc.wait(15)
