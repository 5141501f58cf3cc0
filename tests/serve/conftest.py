"""Serve fixtures: an app over an empty store, over the ingested seeds, and over a store made for comparing."""
from __future__ import annotations

import dataclasses
import hashlib

import pytest
from fastapi.testclient import TestClient

from gongkai import parse
from gongkai.serve import create_app
from gongkai.store import ingest, open_engine, parser_version, store_report
from gongkai.store.db import close_engine
from tests.conftest import SEEDS

# The comparing store: one agency over three years, and three agencies of one region in one year, all made from
# seed 004 (the 2021 format) with its cells multiplied, so every identity still holds.
AGENCY, REGION, YEAR = "金华市金东区人民政府办公室", "浙江省金华市", 2022
PEERS = (("金华市婺城区人民政府办公室", "浙江省金华市婺城区"), ("金华市兰溪市人民政府办公室", "浙江省金华市兰溪市"))


def seed(n: int):
    return next(p for p in SEEDS if p.name.startswith(f"{n:03d}_"))


def variant(report, k: int, **meta):
    "The report with every cell multiplied by k and other meta, stored under its own sha."
    cells = {c: (v * k if v is not None else None) for c, v in report.cells.items()}
    new_meta = {**report.meta, **meta, "sha256": hashlib.sha256(f"{k}{sorted(meta.items())}".encode()).hexdigest()}
    return dataclasses.replace(report, meta=new_meta, cells=cells)


def compare_reports() -> list:
    base = parse(seed(4))
    reports = [variant(base, k, year=y) for k, y in ((1, 2020), (2, 2021), (3, 2022))]
    reports += [variant(base, k, agency=a, region=r, year=YEAR) for k, (a, r) in zip((5, 7), PEERS)]
    return reports


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path}/serve.db"
    yield url
    close_engine(url)


@pytest.fixture
def client(db_url):
    with TestClient(create_app(db_url)) as c:
        yield c


@pytest.fixture
def seeds_url(db_url):
    "The five seeds ingested from their files (so report pages can re-read the text)."
    ingest(SEEDS, db_url)
    return db_url


@pytest.fixture
def seeds_client(seeds_url):
    with TestClient(create_app(seeds_url)) as c:
        yield c


def store_compare(url: str) -> None:
    "Store the compare reports, each under a source of its own (a shared source would replace the previous one)."
    engine = open_engine(url)
    for r in compare_reports():
        store_report(engine, r, f"{r.meta['agency']}-{r.meta['year']}.txt", r.meta["sha256"], parser_version())


@pytest.fixture
def compare_url(db_url):
    store_compare(db_url)
    return db_url


@pytest.fixture
def compare_client(compare_url):
    with TestClient(create_app(compare_url)) as c:
        yield c
