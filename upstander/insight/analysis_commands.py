"""Analysis subcommands of `upstander insight`. Heavy modules are imported inside each command, so
`upstander insight --help` stays fast. Every command takes the shared dataset options (datasets.dataset_options)
and with --json writes exactly one JSON document, with every rate's numerator and denominator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from upstander.insight.datasets import dataset_options, echo_json, load

GROUPINGS = ("ethnicity", "sex", "ethnicity_sex")


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def print_rates(rows: list[dict[str, Any]]) -> None:
    """A plain-text table of rate rows (stage, group, numerator/denominator, rate, relative rate and CI)."""
    click.echo(f"{'stage':<22}{'group':<34}{'n / N':>20}{'rate':>9}{'RR':>8}  95% CI")
    for row in rows:
        if row.get("missing"):
            click.echo(f"{row['stage']:<22}{row['group'][:33]:<34}{'missing':>20}")
            continue
        ratio = f"{row['numerator']:,} / {row['denominator']:,}"
        ci = f"{_fmt(row['ci_low'], 2)}–{_fmt(row['ci_high'], 2)}" if row.get("ci_low") is not None else ""
        marker = " (ref)" if row.get("reference") else ""
        click.echo(f"{row['stage']:<22}{row['group'][:33]:<34}{ratio:>20}{_fmt(row['rate']):>9}"
                   f"{_fmt(row['relative_rate'], 2):>8}  {ci}{marker}")


@click.command("datasets")
@click.option("--json", "as_json", is_flag=True, help="Write exactly one JSON document to stdout.")
def datasets_command(as_json: bool) -> None:
    """List the stored datasets."""
    from upstander.cli import setup_django

    setup_django()
    from upstander.insight.datasets import list_datasets

    found = list_datasets()
    if as_json:
        echo_json({"datasets": found})
        return
    if not found:
        click.echo("no stored datasets (the live dataset is always available as --dataset live)")
    for item in found:
        click.echo(f"{item['name']}\t{item['source']}\t{item['rows'].get('complaints', 0):,} complaints")


@click.command("fairness")
@dataset_options
@click.option("--by", type=click.Choice(GROUPINGS), default="ethnicity", show_default=True)
@click.option("--reference", help='Reference group label (default: the dataset\'s "White"; by sex: "Male").')
def fairness_command(dataset: str, date_from: dt.date | None, date_to: dt.date | None, source: str, as_json: bool,
                     by: str, reference: str | None) -> None:
    """Disproportionality per stage of the misconduct funnel, with relative rates and 95% CIs (Katz)."""
    from upstander.insight.fairness import fairness

    document = fairness(load(dataset, date_from, date_to, source), by=by, reference=reference)
    if as_json:
        echo_json(document)
        return
    click.echo(f"{document['dataset']} ({document['from'] or 'start'} to {document['to'] or 'end'}, "
               f"{document['source']}), by {by}, reference {document['reference'] or 'none'}")
    print_rates(document["rates"])


@click.command("fairness-adjusted")
@dataset_options
@click.option("--by", type=click.Choice(GROUPINGS), default="ethnicity", show_default=True)
@click.option("--reference", help="Reference group label (default as for `fairness`).")
@click.option("--stage", "stage_names", multiple=True,
              help="Stage(s) to model (default: allegation per head and substantiated per allegation).")
def fairness_adjusted_command(dataset: str, date_from: dt.date | None, date_to: dt.date | None, source: str,
                              as_json: bool, by: str, reference: str | None, stage_names: tuple[str, ...]) -> None:
    """Odds ratios and standardised rates adjusted for rank, length of service and unit (logistic regression)."""
    from upstander.insight.fairness_adjusted import adjusted

    document = adjusted(load(dataset, date_from, date_to, source), by=by, reference=reference,
                        stage_names=list(stage_names) or None)
    if as_json:
        echo_json(document)
        return
    click.echo(f"{document['dataset']}, by {by}, reference {document['reference'] or 'none'}")
    for model in document["models"]:
        click.echo(f"\n{model['stage']} ({model['basis']}), adjusted for {', '.join(model['adjusted_for']) or '-'}"
                   + (f": {model['missing_reason']}" if model.get("missing") else ""))
        for row in model.get("groups", []):
            click.echo(f"  {row['group'][:33]:<34}{row['events']:>8,} / {row['n']:<9,} "
                       f"OR {_fmt(row['odds_ratio'], 2)} adj {_fmt(row['adjusted_odds_ratio'], 2)} "
                       f"[{_fmt(row['ci_low'], 2)}–{_fmt(row['ci_high'], 2)}]")


def register(group: click.Group) -> None:
    from upstander.insight.importers.commands import import_group

    group.add_command(import_group)
    for command in (datasets_command, fairness_command, fairness_adjusted_command):
        group.add_command(command)
