"""Base fixtures: the personas of DESIGN.md, made through the real actions."""

from __future__ import annotations

import pytest

pytest_plugins: list[str] = []


@pytest.fixture
def placeholder_for_personas():
    return None
