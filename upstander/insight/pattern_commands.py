"""`upstander insight patterns | early-warning | resigned`: added to the insight group by `register(group)`.

These are operator commands for the overseer and professional-standards leads: their output names people (crews,
repeat witnesses, risk lists, who resigned under investigation). Analysts get aggregates elsewhere, never these.
With --json each writes exactly one JSON document to stdout; progress goes to stderr.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from upstander.insight.datasets import dataset_options, echo_json, load


def register(group: click.Group) -> None:
    group.add_command(patterns_command, "patterns")
    group.add_command(early_warning_command, "early-warning")
    group.add_command(resigned_command, "resigned")
    group.add_command(resolve_command, "resolve")


def _progress(message: str) -> None:
    click.echo(message, err=True)


@click.command("patterns")
@dataset_options
@click.option("--max-group", default=10, show_default=True, type=click.IntRange(2),
              help="Complaints accusing more people than this are left out of the co-accusal graph.")
@click.option("--crew-min-weight", default=3, show_default=True, type=click.IntRange(1),
              help="Crews are found among pairs co-accused at least this many times.")
@click.option("--crew-min-size", default=3, show_default=True, type=click.IntRange(2))
@click.option("--crew-max-size", default=20, show_default=True, type=click.IntRange(0),
              help="Split larger communities again (0: never).")
@click.option("--witness-min", default=3, show_default=True, type=click.IntRange(1),
              help="List witness-subject pairs with at least this many complaints.")
def patterns_command(dataset: str, date_from: Any, date_to: Any, source: str, as_json: bool, max_group: int,
                     crew_min_weight: int, crew_min_size: int, crew_max_size: int, witness_min: int) -> None:
    """Concentration of allegations, the co-accusal graph, crews and repeat witnesses (names people: overseer and
    professional standards only)."""
    from upstander.insight.patterns import PatternOptions, patterns

    started = time.perf_counter()
    data = load(dataset, date_from, date_to, source)
    _progress(f"patterns: {data.name}, {data.window_label()}, source {source}")
    options = PatternOptions(date_from=date_from, date_to=date_to, source=source, max_group=max_group,
                             crew_min_weight=crew_min_weight, crew_min_size=crew_min_size,
                             crew_max_size=crew_max_size, witness_min=witness_min)
    result = {"dataset": data.name, **patterns(data, options)}
    _progress(f"patterns: done in {time.perf_counter() - started:.1f} s")
    if as_json:
        echo_json(result)
        return
    share = result["concentration"]
    crews = result["crew_totals"]
    click.echo(f"{result['subjects']} accused people, {result['complaints']} complaints, "
               f"{result['allegations']} allegations ({result['substantiated']} substantiated)")
    click.echo(f"top 1% / 5% / 10% of accused hold {share['1']:.1%} / {share['5']:.1%} / {share['10']:.1%}")
    click.echo(f"pairs co-accused >= 3 times: {result['coaccused_pairs']['ge3']}, >= 5: "
               f"{result['coaccused_pairs']['ge5']} (complaints over {max_group} accused left out: "
               f"{result['graph']['complaints_excluded']})")
    click.echo(f"{crews['count']} crews, {crews['people']} people: {crews['share_of_allegations']:.1%} of allegations,"
               f" {crews['share_of_substantiated']:.1%} of substantiated")
    pairs = result["witness_pairs"]
    click.echo("witness-subject pairs on >= 3 complaints: "
               + (f"not known ({pairs['missing_reason']})" if pairs.get("missing") else str(pairs["ge3"])))


@click.command("early-warning")
@dataset_options
@click.option("--train-to", required=True, type=int, metavar="YEAR",
              help="Cut-off: use what was known at the end of YEAR.")
@click.option("--horizon", default=2, show_default=True, type=click.IntRange(1), metavar="YEARS",
              help="Predict allegations received in the YEARS after the cut-off.")
@click.option("--outcome", type=click.Choice(["substantiated", "any"]), default="substantiated", show_default=True)
@click.option("--snapshots", default=5, show_default=True, type=click.IntRange(1),
              help="Earlier yearly snapshots the model is trained on.")
@click.option("--max-group", default=10, show_default=True, type=click.IntRange(2))
@click.option("--policy", "policy_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Rules file (default policy/early_warning.toml).")
@click.option("--top", default=0, show_default=True, type=click.IntRange(0),
              help="Also list the N highest-risk people (overseer and professional standards only).")
def early_warning_command(dataset: str, date_from: Any, date_to: Any, source: str, as_json: bool, train_to: int,
                          horizon: int, outcome: str, snapshots: int, max_group: int, policy_file: Path | None,
                          top: int) -> None:
    """Threshold rules against a learned risk score, compared at the same number of people flagged."""
    from upstander.insight.early_warning import early_warning, load_policy

    started = time.perf_counter()
    data = load(dataset, date_from, date_to, source)
    _progress(f"early warning: {data.name}, cut-off end of {train_to}, horizon {horizon} years, outcome {outcome}")
    try:
        result = early_warning(data, train_to=train_to, horizon=horizon, outcome=outcome,
                               policy=load_policy(policy_file), snapshots=snapshots, max_group=max_group, top=top)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    result = {"dataset": data.name, **result}
    _progress(f"early warning: done in {time.perf_counter() - started:.1f} s")
    if as_json:
        echo_json(result)
        return
    auc = result["model"]["auc"]
    click.echo(f"cut-off {result['cutoff']}, {result['population']} people, {result['positives']} with the outcome; "
               f"model AUC {auc:.3f}" if auc is not None else "model AUC: not defined")
    click.echo(f"{'flagged':>8} {'rule TP':>8} {'model TP':>9}  rule")
    for rule in result["rules"]:
        click.echo(f"{rule['flagged']:>8} {rule['true_positives']:>8} "
                   f"{rule['model_at_same_flagged']['true_positives']:>9}  {rule['name']}")


@click.command("resigned")
@dataset_options
def resigned_command(dataset: str, date_from: Any, date_to: Any, source: str, as_json: bool) -> None:
    """People who left while an allegation against them was open, and what happened to it."""
    from upstander.insight.patterns import resigned_under_investigation

    data = load(dataset, date_from, date_to, source)
    _progress(f"resigned under investigation: {data.name}, {data.window_label()}, source {source}")
    result = {"dataset": data.name, **resigned_under_investigation(
        data, date_from=date_from, date_to=date_to, source=source)}
    if as_json:
        echo_json(result)
        return
    click.echo(f"{result['people']} people left with {result['allegations']} allegations open "
               f"({result['still_open']} still open; {result['substantiated_after_leaving']} substantiated)")
    for row in result["list"]:
        click.echo(f"{row['person_id']}  left {row['left_date']}  complaint {row['complaint_id']} received "
                   f"{row['received_date']}  {row['finding'] or 'no finding'}  {row['sanction'] or ''}".rstrip())


@click.command("resolve")
@click.option("--link-at", default=0.9, show_default=True, type=click.FloatRange(0, 1),
              help="Link automatically at this match probability or above ...")
@click.option("--runner-up-below", default=0.05, show_default=True, type=click.FloatRange(0, 1),
              help="... when the next-best person scores below this.")
@click.option("--suggest-at", default=0.1, show_default=True, type=click.FloatRange(0, 1),
              help="Otherwise queue the best person for a handler at this probability or above.")
@click.option("--rescore-suggested", is_flag=True, help="Score suggestions still awaiting a handler again.")
@click.option("--dry-run", is_flag=True, help="Count what would be linked and suggested; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Write exactly one JSON document to stdout.")
def resolve_command(link_at: float, runner_up_below: float, suggest_at: float, rescore_suggested: bool,
                    dry_run: bool, as_json: bool) -> None:
    """Link unresolved subject mentions to roster people (Splink); doubtful ones are queued for a handler. Acts as
    the audited system actor `system:resolve`."""
    from upstander.cli import ensure_ready

    ensure_ready()
    from upstander.audit.log import Actor
    from upstander.insight.resolution import Thresholds, do_resolve_mentions

    started = time.perf_counter()
    _progress("resolve: scoring unresolved subject mentions against the roster")
    summary = do_resolve_mentions(actor=Actor.system("resolve"), thresholds=Thresholds(
        link_at=link_at, runner_up_below=runner_up_below, suggest_at=suggest_at),
        rescore_suggested=rescore_suggested, dry_run=dry_run)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    if as_json:
        echo_json(summary)
        return
    verb = "would be" if dry_run else "were"
    click.echo(f"{summary['considered']} mentions to resolve: {summary['linked']} {verb} linked, "
               f"{summary['suggested']} {verb} queued for a handler")
