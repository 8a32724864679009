"""Fixtures of the reports core's tests: reporter journeys through the real pages (upstander/testing/journeys.py)."""

from upstander.testing.journeys import reporter  # noqa: F401  (a fixture)
