"""The truth file: what was planted, and the true person behind every subject mention.

Only facts of the invented world go in: no generation time, no paths, no database keys. Lists are in a fixed
order and the JSON is written with sorted keys, so the same seed gives the same bytes. The lists that a detector
is scored against (victims alongside, resignations under investigation, many handovers) hold every case in the
world that meets the definition, each marked `planted` or not, so a correct detector finds exactly these.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from upstander.lib.policy import categories as policy_categories
from upstander.worldgen.background import internal_misconduct_counts
from upstander.worldgen.cases import LEAVING_SOON_DAYS, NOT_ATTRITION, CaseBuilder, leaves_soon
from upstander.worldgen.ids import iso
from upstander.worldgen.plant import _uuid
from upstander.worldgen.world import World

FORMAT = 1
RATE_DEFINITION = (
    "Internally raised allegations (reporter_type staff) assessed as misconduct or gross misconduct, one per subject "
    "per case, against officers, per officer-year employed inside the window: Black officers' rate divided by White "
    "officers' rate (2021 census high-level groups)."
)
RETALIATION_DEFINITION = (
    "Probability, on top of the ordinary rates, that a staff reporter with a roster link (named or confidential) "
    "suffers one planted detriment within a year of their first such report."
)

ATTRITION_DEFINITION = (
    f"Whoever reports a colleague is drawn from the reported person's team on the day; a teammate who will leave within "
    f"{LEAVING_SOON_DAYS} days (for any reason but {' or '.join(NOT_ATTRITION)}) is `configured_ratio` times as likely "
    "to be the one (a weight on the draw: with 3, staff leave within two years of their first report about 1.8 times "
    "as often as colleagues of the same rank and service; with 1 nothing is planted). "
    "`reporters`: staff with a roster-linked (named or confidential) report, at their first; `left_within`: those "
    "who left within the days; `expected`: the sum over them of the share of their teammates that day who did; "
    "`realised_ratio` = left_within / expected."
)
OUTCOME_DEFINITION = (
    "A case whose report records a woman as the complainant (the form's optional equality question) is found to have "
    "a case to answer with `configured_factor` times the usual probability (0.55 misconduct, 0.7 gross misconduct), "
    "so fewer of women's complaints end substantiated. Counts: case-to-answer decisions drawn by the end date (not "
    "those a planted pattern fixes), by the complainant's recorded sex; `realised_factor` divides the women's share "
    "by the men's (the mix of severities differs a little)."
)


def attrition_after_reporting(world: World, builder: CaseBuilder) -> dict:
    first: dict[int, int] = {}
    for person, day, _code, _subjects in builder.reporter_links:
        first[person] = min(day, first.get(person, day))
    left = 0
    expected = 0.0
    for person, day in sorted(first.items()):
        left += leaves_soon(world.by_id[person], day)
        mates = builder.teammates(world.by_id[person], day)
        if mates:
            expected += sum(leaves_soon(m, day) for m in mates) / len(mates)
    return {"configured_ratio": world.cfg.reporter_attrition, "within_days": LEAVING_SOON_DAYS,
            "definition": ATTRITION_DEFINITION, "reporters": len(first), "left_within": left,
            "expected": round(expected, 2), "realised_ratio": round(left / expected, 4) if expected else None}


def female_case_to_answer(world: World, builder: CaseBuilder) -> dict:
    decided = builder.cta_decisions
    women, men = decided.get("female", [0, 0]), decided.get("male", [0, 0])
    realised = None
    if women[0] and men[0] and men[1]:
        realised = round((women[1] / women[0]) / (men[1] / men[0]), 4)
    return {"configured_factor": world.cfg.female_case_to_answer, "definition": OUTCOME_DEFINITION,
            "decisions": {sex or "not_recorded": {"decided": n, "case_to_answer": k}
                          for sex, (n, k) in sorted(decided.items())},
            "realised_factor": realised}


def assemble(world: World, builder: CaseBuilder, rows: dict[str, int]) -> dict:
    cfg = world.cfg
    separation = {c["key"] for c in policy_categories() if c.get("separation")}
    stats = internal_misconduct_counts(world)
    (b_count, b_years), (w_count, w_years) = stats["Black"], stats["White"]
    realised = (b_count / b_years) / (w_count / w_years) if b_years and w_years and w_count else None

    handovers = [{"case": b.code, "owners": b.owners, "handovers": b.owners - 1,
                  "planted": b.code in world.planted_handovers}
                 for b in builder.built if b.owners >= 5]
    alongside = []
    resigned = []
    planted_alongside = set(world.planted_alongside)
    planted_resigned = set(world.planted_resigned)
    for b in builder.built:
        if b.reporter is not None and b.linked_reporter and b.role == "victim" and \
                separation.intersection(b.categories):
            victim, subject = world.by_id[b.reporter], world.by_id[b.subjects[0]]
            if victim.left is None and subject.left is None and victim.team == subject.team:
                alongside.append({"case": b.code, "victim": victim.number, "subject": subject.number,
                                  "team": world.team_by_id[victim.team].code, "planted": b.code in planted_alongside})
        investigation = b.stages.get("investigation")
        if investigation is None:
            continue
        outcome = b.stages.get("outcome")
        for sid in b.subjects:
            s = world.by_id[sid]
            if s.left is not None and s.kind == "officer" and s.leaving_reason == "resigned" and \
                    investigation <= s.left and (outcome is None or outcome > s.left):
                resigned.append({"person": s.number, "case": b.code, "resigned_on": iso(s.left),
                                 "investigation_from": iso(investigation), "outcome_on": iso(outcome),
                                 "planted": b.code in planted_resigned})

    current = [p for p in world.people if p.left is None]
    return {
        "format": FORMAT,
        "seed": cfg.seed,
        "staff": cfg.staff,
        "years": cfg.years,
        "window": {"from": iso(cfg.start), "to": iso(cfg.end)},
        "configured": {"relative_rate": cfg.relative_rate, "retaliation_excess": cfg.retaliation_excess,
                       "reporter_attrition": cfg.reporter_attrition,
                       "female_case_to_answer": cfg.female_case_to_answer},
        "relative_rate": {
            "configured": cfg.relative_rate,
            "realised": None if realised is None else round(realised, 4),
            "definition": RATE_DEFINITION,
            "black": {"allegations": b_count, "officer_years": round(b_years, 2)},
            "white": {"allegations": w_count, "officer_years": round(w_years, 2)},
            "top_up": world.truth.get("rate_top_up", {}),
        },
        "attrition_after_reporting": attrition_after_reporting(world, builder),
        "female_case_to_answer": female_case_to_answer(world, builder),
        "retaliation": {"excess_rate": cfg.retaliation_excess, "definition": RETALIATION_DEFINITION,
                        "eligible_reporters": len({link[0] for link in builder.reporter_links})},
        "organisation": {
            "in_post": len(current), "leavers": len(world.people) - len(current),
            "officers_in_post": sum(1 for p in current if p.kind == "officer"),
            "units": len(world.units), "teams": len(world.teams),
            "professional_standards_unit": world.psu_unit.code,
        },
        "rows": dict(sorted(rows.items())),
        "repeat_subjects": world.truth.get("repeat_subjects", []),
        "crews": world.truth.get("crews", []),
        "retaliated_reporters": world.truth.get("retaliated_reporters", []),
        "many_handover_cases": sorted(handovers, key=lambda x: x["case"]),
        "victims_alongside_subject": sorted(alongside, key=lambda x: x["case"]),
        "resigned_under_investigation": sorted(resigned, key=lambda x: (x["person"], x["case"])),
        "lodges": world.truth.get("lodges", []),
        "mentions": {_uuid(k): v for k, v in sorted(world.truth.get("mentions", {}).items())},
    }


def dumps(truth: dict) -> str:
    return json.dumps(truth, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write(truth: dict, path: Path) -> None:
    """Atomically: a crash mid-write never leaves half a truth file behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".truth-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(dumps(truth))
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the truth file is ordinary output
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
