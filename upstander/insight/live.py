"""The "live" dataset: the operational database's structured facts in the common schema (filled in later)."""

from __future__ import annotations

from typing import Any

import polars as pl

from upstander.insight.datasets import DatasetError


def extract() -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    raise DatasetError("the live dataset is not available yet; import one with `upstander insight import cpdp`")
