"""`upstander worldgen`: generate a synthetic force with planted patterns and write its truth file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from upstander.worldgen.config import (
    DEFAULT_END_DATE,
    DEFAULT_FEMALE_CASE_TO_ANSWER,
    DEFAULT_RELATIVE_RATE,
    DEFAULT_REPORTER_ATTRITION,
    DEFAULT_RETALIATION_EXCESS,
)


def summary(truth: dict) -> dict:
    return {
        "seed": truth["seed"], "staff": truth["staff"], "years": truth["years"], "window": truth["window"],
        "organisation": truth["organisation"], "rows": truth["rows"],
        "relative_rate": {k: truth["relative_rate"][k] for k in ("configured", "realised")},
        "retaliation_excess": truth["retaliation"]["excess_rate"],
        "planted": {
            "repeat_subjects": len(truth["repeat_subjects"]), "crews": len(truth["crews"]),
            "retaliated_reporters": len(truth["retaliated_reporters"]),
            "many_handover_cases": len(truth["many_handover_cases"]),
            "victims_alongside_subject": sum(1 for x in truth["victims_alongside_subject"] if x["planted"]),
            "resigned_under_investigation": sum(1 for x in truth["resigned_under_investigation"] if x["planted"]),
        },
    }


@click.command()
@click.option("--staff", type=click.IntRange(min=100), default=2000, show_default=True,
              help="Headcount of the force on the end date (leavers come on top).")
@click.option("--years", type=click.IntRange(1, 40), default=5, show_default=True, help="Years of history.")
@click.option("--seed", type=int, default=1, show_default=True, help="Every identifier derives from it.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the truth file here.")
@click.option("--end-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=DEFAULT_END_DATE.isoformat(),
              show_default=True, help="The world's 'today' (fixed, so a seed gives the same world on any day).")
@click.option("--relative-rate", type=click.FloatRange(min=0.01), default=DEFAULT_RELATIVE_RATE, show_default=True,
              help="Black vs White officers' rate of internally raised misconduct allegations, per head per year.")
@click.option("--retaliation-excess", type=click.FloatRange(0, 1), default=DEFAULT_RETALIATION_EXCESS,
              show_default=True, help="Extra probability that a linked staff reporter suffers a detriment.")
@click.option("--mention-noise", type=click.Choice(["default", "heavy"]), default="default", show_default=True,
              help="How many slips reports make in naming subjects (heavy: more misspellings, nicknames and wrong "
                   "numbers; the same world otherwise).")
@click.option("--reporter-attrition", type=click.FloatRange(min=0.01), default=DEFAULT_REPORTER_ATTRITION,
              show_default=True, help="How much likelier a colleague who will leave within two years is to be the "
                                      "one who reports (1: no planted attrition after reporting).")
@click.option("--female-case-to-answer", type=click.FloatRange(0, 1.4), default=DEFAULT_FEMALE_CASE_TO_ANSWER,
              show_default=True, help="Factor on reaching case to answer when a woman complained (1: no difference).")
@click.option("--no-progress", is_flag=True, help="No progress bar on stderr.")
@click.option("--json", "as_json", is_flag=True, help="Print a summary as one JSON document on stdout.")
def worldgen(staff: int, years: int, seed: int, out: Path | None, end_date, relative_rate: float,
             retaliation_excess: float, mention_noise: str, reporter_attrition: float, female_case_to_answer: float,
             no_progress: bool, as_json: bool) -> None:
    """Generate a synthetic force (roster, HR history, reports and cases) with planted patterns, into an empty
    database, and optionally write the truth file naming what was planted."""
    from upstander.cli import ensure_ready

    ensure_ready()
    from upstander.worldgen.generate import LAST_RUN, WorldExists, generate
    from upstander.worldgen.truth import write

    try:
        truth = generate(staff, years, seed, end_date=end_date.date(), relative_rate=relative_rate,
                         retaliation_excess=retaliation_excess, mention_noise=mention_noise,
                         reporter_attrition=reporter_attrition, female_case_to_answer=female_case_to_answer,
                         progress=not no_progress)
    except WorldExists as exc:
        raise click.ClickException(str(exc)) from None
    if out is not None:
        write(truth, out)
    result = summary(truth)
    result.update(LAST_RUN)
    if out is not None:
        result["truth_file"] = str(out)
    if as_json:
        click.echo(json.dumps(result, sort_keys=True))
        return
    org = result["organisation"]
    click.echo(f"Synthetic force: {org['in_post']} in post, {org['leavers']} leavers, {org['units']} units; "
               f"{result['rows'].get('cases.case', 0)} cases over {years} years to {result['window']['to']} "
               f"(seed {seed}, {result['seconds']} s).")
    click.echo("Planted: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result["planted"].items()))
    click.echo(f"Relative rate: configured {relative_rate}, realised {result['relative_rate']['realised']}")
    if out is not None:
        click.echo(f"Truth file: {out}")
    sys.stdout.flush()
