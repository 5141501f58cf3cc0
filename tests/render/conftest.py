import pytest

from tests.render.render_golds import gold_of


@pytest.fixture
def gold_2021() -> dict:
    return gold_of("2021")


@pytest.fixture
def gold_2019() -> dict:
    return gold_of("2019")


@pytest.fixture
def gold_blanks() -> dict:
    from tests.render.render_golds import gold_with_blanks
    return gold_with_blanks()
