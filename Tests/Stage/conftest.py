"""Fixtures for the stage tests: a Janus started for the session on a free loopback port."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from janus_process import JanusProcess  # noqa: E402


@pytest.fixture(scope="session")
def janus():
    process = JanusProcess()
    process.start()
    yield process
    process.cleanup()
