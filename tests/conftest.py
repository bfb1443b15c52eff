"""Shared test fixtures: paths to the development corpus beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles: "ci" (default; property tests without their own max_examples run 1,000
# examples) and "nightly" (20,000). Choose with HYPOTHESIS_PROFILE=nightly.
settings.register_profile("ci", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=20_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """../shared/corpus: present in CI beside the clone; its absence is a failure, not a skip."""
    assert CORPUS.is_dir(), f"development corpus missing at {CORPUS}"
    return CORPUS


@pytest.fixture(scope="session")
def demo_site():  # type: ignore[no-untyped-def]
    """The bundled demo site served on 127.0.0.1 for the whole session; yields its base URL."""
    from archiver.demo.server import serve

    with serve() as base_url:
        yield base_url


@pytest.fixture(scope="module")
def redis_url():  # type: ignore[no-untyped-def]
    """A throwaway redis-server per test module (the distributed tests); yields its redis:// URL."""
    from tests.distributed_kit import redis_server

    with redis_server() as url:
        yield url


@pytest.fixture()
def server(redis_url: str):  # type: ignore[no-untyped-def]
    """A client of the module's redis-server, emptied for each test."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    return client
