"""Fixtures of the fault-injection suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.badweb import BadWeb


@pytest.fixture
def badweb() -> Iterator[BadWeb]:
    web = BadWeb()
    yield web
    web.close()
