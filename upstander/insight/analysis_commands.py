"""Analysis subcommands of `upstander insight`. Heavy modules are imported inside each command, so
`upstander insight --help` stays fast. Every command takes the shared dataset options (datasets.dataset_options)
and with --json writes exactly one JSON document, with every rate's numerator and denominator."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
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


def _count(value: int | None) -> str:
    return "x" if value is None else f"{value:,}"  # x: suppressed in a published view


def print_rates(rows: list[dict[str, Any]]) -> None:
    """A plain-text table of rate rows (stage, group, numerator/denominator, rate, relative rate and CI)."""
    click.echo(f"{'stage':<22}{'group':<34}{'n / N':>20}{'rate':>9}{'RR':>8}  95% CI")
    for row in rows:
        if row.get("missing"):
            click.echo(f"{row['stage']:<22}{row['group'][:33]:<34}{'missing':>20}")
            continue
        ratio = f"{_count(row['numerator'])} / {_count(row['denominator'])}"
        ci = f"{_fmt(row['ci_low'], 2)}–{_fmt(row['ci_high'], 2)}" if row.get("ci_low") is not None else ""
        marker = " (ref)" if row.get("reference") else ""
        click.echo(f"{row['stage']:<22}{row['group'][:33]:<34}{ratio:>20}{_fmt(row['rate']):>9}"
                   f"{_fmt(row['relative_rate'], 2):>8}  {ci}{marker}")


published_option = click.option(
    "--published", is_flag=True,
    help="Apply disclosure control as in a published report (policy/disclosure.toml: small counts suppressed, the "
         "rest rounded).")


def _emit(document: dict[str, Any], kind: str, as_json: bool, published: bool) -> dict[str, Any]:
    if published:
        from upstander.insight.published import publishable

        document = publishable(kind, document)
    if as_json:
        echo_json(document)
    return document


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
@click.option("--staff-kind", type=click.Choice(["officer", "staff", "all"]), default="all", show_default=True,
              help="Only officers, only police staff, or everyone.")
@click.option("--basis", type=click.Choice(["headline", "per_head", "per_allegation", "per_person_year"]),
              default="headline", show_default=True, help="Which list the plain-text table shows (--json has all).")
@published_option
def fairness_command(dataset: str, date_from: dt.date | None, date_to: dt.date | None, source: str, as_json: bool,
                     by: str, reference: str | None, staff_kind: str, basis: str, published: bool) -> None:
    """Disproportionality per stage of the misconduct funnel, with relative rates and 95% CIs (Katz)."""
    from upstander.insight.fairness import fairness

    document = _emit(fairness(load(dataset, date_from, date_to, source), by=by, reference=reference,
                              staff_kind=staff_kind), "fairness", as_json, published)
    if as_json:
        return
    click.echo(f"{document['dataset']} ({document['from'] or 'start'} to {document['to'] or 'end'}, "
               f"{document['source']}), by {by}, reference {document['reference'] or 'none'}, {basis}")
    print_rates(document["rates" if basis == "headline" else f"rates_{basis}"])


@click.command("fairness-adjusted")
@dataset_options
@click.option("--by", type=click.Choice(GROUPINGS), default="ethnicity", show_default=True)
@click.option("--reference", help="Reference group label (default as for `fairness`).")
@click.option("--stage", "stage_names", multiple=True,
              help="Stage(s) to model (default: allegation per head and substantiated per allegation).")
@published_option
def fairness_adjusted_command(dataset: str, date_from: dt.date | None, date_to: dt.date | None, source: str,
                              as_json: bool, by: str, reference: str | None, stage_names: tuple[str, ...],
                              published: bool) -> None:
    """Odds ratios and standardised rates adjusted for rank, length of service and unit (logistic regression)."""
    from upstander.insight.fairness_adjusted import adjusted

    document = _emit(adjusted(load(dataset, date_from, date_to, source), by=by, reference=reference,
                              stage_names=list(stage_names) or None), "fairness_adjusted", as_json, published)
    if as_json:
        return
    click.echo(f"{document['dataset']}, by {by}, reference {document['reference'] or 'none'}")
    for model in document["models"]:
        click.echo(f"\n{model['stage']} ({model['basis']}), adjusted for {', '.join(model['adjusted_for']) or '-'}"
                   + (f": {model['missing_reason']}" if model.get("missing") else ""))
        for row in model.get("groups", []):
            click.echo(f"  {row['group'][:33]:<34}{_count(row['events']):>8} / {_count(row['n']):<9} "
                       f"OR {_fmt(row['odds_ratio'], 2)} adj {_fmt(row['adjusted_odds_ratio'], 2)} "
                       f"[{_fmt(row['ci_low'], 2)}–{_fmt(row['ci_high'], 2)}]")


@click.command("outcomes")
@dataset_options
@published_option
def outcomes_command(dataset: str, date_from: dt.date | None, date_to: dt.date | None, source: str, as_json: bool,
                     published: bool) -> None:
    """Substantiation rate and time to outcome by complainant sex and ethnicity, theme and source."""
    from upstander.insight.outcomes import outcomes

    document = _emit(outcomes(load(dataset, date_from, date_to, source)), "outcomes", as_json, published)
    if as_json:
        return
    for key in ("by_complainant_sex", "by_complainant_ethnicity", "by_theme", "by_source"):
        section = document[key]
        click.echo(f"\n{key.replace('_', ' ')} (reference {section.get('reference') or 'none'})")
        if section.get("missing"):
            click.echo(f"  not available: {section['missing_reason']}")
            continue
        print_rates([{"stage": "substantiated", **row} for row in section["rows"]])


@click.command("attrition")
@dataset_options
@published_option
@click.option("--by", type=click.Choice(GROUPINGS), default="ethnicity", show_default=True)
def attrition_command(dataset: str, date_from: dt.date | None, date_to: dt.date | None, source: str, as_json: bool,
                      published: bool, by: str) -> None:
    """Leaving rates by group and reason, time to leaving after reporting or being accused, promotion."""
    from upstander.insight.attrition import attrition

    document = _emit(attrition(load(dataset, date_from, date_to, source), by=by), "attrition", as_json, published)
    if as_json:
        return
    leaving = document["leaving"]
    click.echo(f"leaving in {document['window']['from']} to {document['window']['to']}")
    if leaving.get("missing"):
        click.echo(f"  not available: {leaving['missing_reason']}")
    else:
        print_rates([{"stage": "left", **row} for row in leaving["rows"]])
    for key in ("after_reporting", "after_accused"):
        section = document[key]
        if section.get("missing"):
            click.echo(f"{key.replace('_', ' ')}: not available: {section['missing_reason']}")
            continue
        cox = section["cox"]
        click.echo(f"{key.replace('_', ' ')}: hazard ratio {_fmt(cox['hazard_ratio'], 2)} "
                   f"[{_fmt(cox['ci_low'], 2)}–{_fmt(cox['ci_high'], 2)}] against matched peers")
    promotion = document["promotion"]
    if promotion.get("missing"):
        click.echo(f"promotion: not available: {promotion['missing_reason']}")
    else:
        print_rates([{"stage": "not_promoted", **row} for row in promotion["rows"] + (promotion["by_reporting"] or [])])


@click.command("timeliness")
@dataset_options
@published_option
def timeliness_command(dataset: str, date_from: dt.date | None, date_to: dt.date | None, source: str, as_json: bool,
                       published: bool) -> None:
    """Time to close and in each stage, cases open over 12 months and 2 years, handovers, accounts, overdue."""
    from upstander.insight.timeliness import timeliness

    document = _emit(timeliness(load(dataset, date_from, date_to, source)), "timeliness", as_json, published)
    if as_json:
        return
    durations = document["durations"]
    if durations.get("missing"):
        click.echo(f"not available: {durations['missing_reason']}")
        return
    close = durations["time_to_close"]
    click.echo(f"as of {document['as_of']}: median time to close {_fmt(close['median_days'], 0)} days "
               f"(n {close['n']}), 90th percentile {_fmt(close['p90_days'], 0)}")
    for key in ("open_over_12_months", "open_over_2_years", "took_over_12_months", "took_over_2_years"):
        share = durations[key]
        click.echo(f"  {key.replace('_', ' ')}: {share['numerator']} / {share['denominator']} = {_fmt(share['rate'])}")
    for key in ("handovers", "accounts_per_victim"):
        section = document[key]
        click.echo(f"{key.replace('_', ' ')}: " + (f"not available: {section['missing_reason']}" if section["missing"]
                                                   else f"mean {_fmt(section['mean'], 2)} over {section['cases']}"))


@click.command("report")
@dataset_options
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="New (or empty) folder to write the signed report into.")
@click.option("--no-adjusted", "no_adjusted", is_flag=True, help="Leave out the (slower) adjusted rates.")
@click.option("--no-pdf", "no_pdf", is_flag=True, help="Write HTML only (no PDF).")
def report_command(dataset: str, date_from: dt.date | None, date_to: dt.date | None, source: str, as_json: bool,
                   out: Path, no_adjusted: bool, no_pdf: bool) -> None:
    """Write a publishable report (HTML, PDF, charts, data) under disclosure control, signed by the overseer."""
    from upstander.insight.publish import write_report

    summary = write_report(load(dataset, date_from, date_to, source), out, adjusted=not no_adjusted,
                           pdf=not no_pdf)
    if as_json:
        echo_json(summary)
    else:
        click.echo(f"report written to {summary['out']} ({summary['files']} files, signed) in {summary['seconds']} s")


@click.command("verify")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The force's public signing key (default: the one in the data dir). Never read from FOLDER.")
@click.option("--overseer-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The overseer's public key, for its countersignature (default: the one this installation is "
                   "configured with). Never read from FOLDER.")
@click.option("--json", "as_json", is_flag=True, help="Write exactly one JSON document to stdout.")
def verify_command(folder: Path, key_file: Path | None, overseer_key: Path | None, as_json: bool) -> None:
    """Check a published report against the force's signature and the overseer's countersignature: exit 0 if it
    is exactly what the force signed and any countersignature holds."""
    from upstander.cli import setup_django

    setup_django()
    from upstander.insight.publish import countersignature, verify
    from upstander.lib import crypto, keys

    if key_file is None and not keys.force_signing_public_path().exists():
        raise click.ClickException(f"no public signing key at {keys.force_signing_public_path()}; give one with --key")
    for given in (key_file, overseer_key):
        if given is not None and given.resolve().is_relative_to(folder.resolve()):
            raise click.ClickException("a key must not come from inside the report folder; use the signer's own")
    try:
        public_key = keys.force_signing_public_key(key_file)
        overseer = crypto.unb64(overseer_key.read_text().strip()) if overseer_key else keys.overseer_public_key()
    except ValueError as exc:
        raise click.ClickException(f"cannot read the public key: {exc}") from exc
    problems = verify(folder, public_key)
    force = "bad" if any(p.startswith(("manifest.json", "manifest.sig")) for p in problems) else "ok"
    counter = countersignature(folder, overseer)
    valid = not problems and counter != "bad"
    if as_json:
        echo_json({"folder": str(folder), "valid": valid, "problems": problems, "force_signature": force,
                   "overseer_countersignature": counter})
    else:
        click.echo(f"force signature: {force}")
        click.echo(f"overseer countersignature: {counter}")
        for problem in problems:
            click.echo(f"FAILED {problem}", err=True)
        if counter == "bad":
            click.echo("FAILED manifest.countersig: not the overseer's signature of this manifest", err=True)
        if valid:
            click.echo(f"OK: {folder} is exactly what was signed")
    if not valid:
        sys.exit(1)


def register(group: click.Group) -> None:
    from upstander.insight.importers.commands import import_group

    group.add_command(import_group)
    for command in (datasets_command, fairness_command, fairness_adjusted_command, outcomes_command,
                    attrition_command, timeliness_command, report_command, verify_command):
        group.add_command(command)
