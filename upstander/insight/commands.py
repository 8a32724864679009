"""The `upstander insight` command group: analyses (analysis_commands.py) and patterns, early warning and subject
resolution (pattern_commands.py)."""

from __future__ import annotations

import click

from upstander.insight import analysis_commands, pattern_commands


@click.group()
def insight() -> None:
    """Analytics: disproportionality, outcomes, attrition, timeliness, patterns and published reports."""


analysis_commands.register(insight)
pattern_commands.register(insight)
