"""The `upstander insight` command group. Analysis subcommands come from analysis_commands.py; pattern and
early-warning subcommands from pattern_commands.py once that module exists in this checkout."""

from __future__ import annotations

import importlib
import importlib.util

import click

from upstander.insight import analysis_commands


@click.group()
def insight() -> None:
    """Analytics: disproportionality, outcomes, attrition, timeliness and published reports."""


analysis_commands.register(insight)

if importlib.util.find_spec("upstander.insight.pattern_commands") is not None:
    importlib.import_module("upstander.insight.pattern_commands").register(insight)
