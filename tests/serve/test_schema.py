"""The JSON API against its own OpenAPI schema: generated requests (schemathesis) never get a 500."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from gongkai.serve import create_app
from gongkai.store.db import close_engine
from tests.serve.conftest import store_compare


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('schema')}/serve.db"
    store_compare(url)  # reports to find, so generated ids and filters reach real rows too
    app = create_app(url, parse_seconds=10)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    app.state.parser.stop()
    close_engine(url)


# Only this service's /api/: the workbench mounts its own routes (/api/workbench/) and tests them itself.
schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex="^/api/(?!workbench/)")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case):
    response = case.call()
    not_a_server_error_only(case, response)


def not_a_server_error_only(case, response) -> None:  # type: ignore[no-untyped-def]
    "A 500 fails; any refusal must be the JSON error shape with a catalogue code."
    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code >= 400:
        assert response.json()["error"]["code"].split(".")[0] in ("serve", "read", "store")
