"""Who spoke up, and whether what happened to them afterwards exceeds what happened to matched peers.

For each staff member with a protected reporter link (named or confidential report) or recorded as a witness who
supported a report, from the first day they spoke up:

1. Window: the next `window_days`, cut short by today or by their leaving.
2. Peers: colleagues who did not speak up, serving that day, of the same staff kind and rank, in the same command
   (the whole force if the command has too few), the `peers` nearest by length of service, number of detriments
   in the `history_days` before, and unit (a different unit adds 0.5 to the distance).
3. Expected count of each detriment kind: the peers' rate over the same calendar window, shrunk towards the rate of
   the stratum, itself shrunk towards the whole force's (`prior_person_years` at each level), times the person's
   own exposure.
4. Test: for each kind, the Poisson probability of at least the observed count; the smallest, adjusted for the
   number of kinds with an exact discrete Šidák correction (kinds where so small a probability cannot happen do
   not count against it). An alert needs the adjusted p-value below `alpha` and at least `min_events` detriments.
5. A counter-allegation — an allegation against them, within `counter_allegation_days` after they spoke up, from
   a person they had reported — raises an alert whatever the statistics say.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy.stats import poisson

from upstander.cases.choices import FIRM_LINKS
from upstander.cases.models import Allegation, ReporterLink, SubjectMention
from upstander.safeguarding.detriment import LABELS, Force, load_force, settings
from upstander.safeguarding.models import PartyRole, ProtectedParty

YEAR = 365.25


@dataclass
class SpokeUp:
    person_id: int
    first_day: int
    reports: list[dict[str, Any]] = field(default_factory=list)
    subject_ids: set[int] = field(default_factory=set)


def spoke_up() -> dict[int, SpokeUp]:
    """Everyone being watched: staff reporters with a roster link, and witnesses who supported a report."""
    people: dict[int, SpokeUp] = {}
    case_subjects: dict[int, set[int]] = defaultdict(set)
    for case_id, subject_id in Allegation.objects.filter(subject__isnull=False).values_list("case_id", "subject_id"):
        case_subjects[case_id].add(subject_id)
    report_subjects: dict[int, set[int]] = defaultdict(set)
    for report_id, person_id in SubjectMention.objects.filter(link_status__in=FIRM_LINKS).values_list("report_id", "person_id"):
        report_subjects[report_id].add(person_id)

    def add(person_id: int, day: date, entry: dict[str, Any], subjects: set[int]) -> None:
        who = people.setdefault(person_id, SpokeUp(person_id, day.toordinal()))
        who.first_day = min(who.first_day, day.toordinal())
        who.reports.append(entry)
        who.subject_ids |= subjects - {person_id}

    links = ReporterLink.objects.values_list("person_id", "report_id", "report__public_id", "report__received_on",
                                             "report__case_id", "report__case__code")
    for person_id, report_id, public_id, received_on, case_id, code in links:
        add(person_id, received_on, {"role": "reporter", "on": received_on.isoformat(), "case": code,
                                     "report": str(public_id)},
            report_subjects[report_id] | case_subjects.get(case_id, set()))
    for person_id, since, case_id, code in ProtectedParty.objects.filter(role=PartyRole.SUPPORTING_WITNESS).values_list(
            "person_id", "since", "case_id", "case__code"):
        add(person_id, since, {"role": "supporting_witness", "on": since.isoformat(), "case": code},
            case_subjects.get(case_id, set()))
    for who in people.values():
        who.reports.sort(key=lambda r: r["on"])
    return people


def counter_allegations(watched: dict[int, SpokeUp], within_days: int) -> dict[int, list[dict[str, str]]]:
    """Allegations against a watched person, on cases opened within `within_days` after they spoke up, reported
    (by linked staff) by someone they had reported."""
    against = list(Allegation.objects.filter(subject_id__in=list(watched)).values_list(
        "subject_id", "case_id", "case__opened_on", "case__code").distinct())
    accusers: dict[int, set[int]] = defaultdict(set)
    for case_id, person_id in ReporterLink.objects.filter(report__case_id__in={a[1] for a in against}).values_list(
            "report__case_id", "person_id"):
        accusers[case_id].add(person_id)
    found: dict[int, list[dict[str, str]]] = defaultdict(list)
    for subject_id, case_id, opened_on, code in sorted(against, key=lambda a: (a[2], a[3])):
        who = watched[subject_id]
        if 0 < opened_on.toordinal() - who.first_day <= within_days and accusers[case_id] & who.subject_ids:
            if not any(c["case"] == code for c in found[subject_id]):
                found[subject_id].append({"case": code, "on": opened_on.isoformat()})
    return dict(found)


def combined_p(observed: dict[str, int], expected: dict[str, float]) -> tuple[float, dict[str, float]]:
    """Per-kind Poisson tail probabilities and their exact discrete Šidák combination."""
    p_by_kind = {k: float(poisson.sf(n - 1, max(expected[k], 1e-12))) if n > 0 else 1.0 for k, n in observed.items()}
    smallest = min(p_by_kind.values(), default=1.0)
    if smallest >= 1.0:
        return 1.0, p_by_kind
    none_that_small = 1.0
    tails = np.arange(0, 200)
    for k in observed:
        sf = poisson.sf(tails, max(expected[k], 1e-12))  # sf[m-1] = P(X >= m)
        attainable = sf[(sf <= smallest * (1 + 1e-9)) & (tails >= 0)]
        none_that_small *= 1.0 - (float(attainable[0]) if attainable.size else 0.0)
    return min(1.0, 1.0 - none_that_small), p_by_kind


@dataclass
class Evaluation:
    person_id: int
    first_day: date
    window_end: date
    exposure_years: float
    unit_id: int
    observed: dict[str, int]
    expected: dict[str, float]
    p_by_kind: dict[str, float]
    p_value: float
    peers: int
    peer_events: int
    peer_exposure_years: float
    stratum: str
    detriments: list[dict[str, str]]
    reports: list[dict[str, Any]]
    counter_allegations: list[dict[str, str]]
    flagged: bool = False
    why: str = ""

    @property
    def observed_total(self) -> int:
        return sum(self.observed.values())

    @property
    def expected_total(self) -> float:
        return sum(self.expected.values())

    def evidence(self) -> dict[str, Any]:
        return {
            "spoke_up_on": self.first_day.isoformat(), "window_end": self.window_end.isoformat(),
            "exposure_years": round(self.exposure_years, 2), "reports": self.reports, "detriments": self.detriments,
            "by_kind": [{"kind": k, "label": LABELS[k], "observed": n, "expected": round(self.expected[k], 3),
                         "p": round(self.p_by_kind[k], 5)} for k, n in self.observed.items() if n or
                        self.expected[k] >= 0.05],
            "peers": {"count": self.peers, "stratum": self.stratum, "detriments": self.peer_events,
                      "exposure_years": round(self.peer_exposure_years, 1)},
            "counter_allegations": self.counter_allegations, "p_value": self.p_value, "why": self.why,
        }


@dataclass
class Result:
    as_of: date
    evaluations: list[Evaluation]
    too_few_peers: list[int]
    not_yet_exposed: list[int]


class _Matcher:
    def __init__(self, force: Force, watched: set[int], conf: dict[str, Any], as_of: date):
        self.force, self.conf, self.as_of = force, conf, as_of.toordinal()
        watched_idx = {force.index_of[p] for p in watched if p in force.index_of}
        self.eligible = np.array([i not in watched_idx for i in range(len(force.ids))], dtype=bool)
        strata: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in np.flatnonzero(self.eligible):
            strata[(force.kind[i], force.rank[i])].append(int(i))
        self.strata = {k: np.array(v, dtype=np.int64) for k, v in strata.items()}
        self.everyone = np.flatnonzero(self.eligible).astype(np.int64)
        top = max(force.command_of_unit, default=0)
        self.command = np.full(top + 2, -1, dtype=np.int64)
        for unit, command in force.command_of_unit.items():
            self.command[unit] = command

    def commands(self, units: np.ndarray) -> np.ndarray:
        safe = np.clip(units, 0, len(self.command) - 1)
        return np.where(units < len(self.command), self.command[safe], -1)

    def evaluate(self, who: SpokeUp, counters: list[dict[str, str]]) -> Evaluation | str:
        f, conf = self.force, self.conf
        i = f.index_of.get(who.person_id)
        if i is None:
            return "unknown"
        d, window = who.first_day, int(conf["window_days"])
        hi = min(d + window, self.as_of, int(f.left[i]))
        if hi <= d:
            return "not_exposed"
        me = np.array([i], dtype=np.int64)
        unit = int(f.units_on(me, d)[0])
        candidates = self.strata.get((f.kind[i], f.rank[i]), np.empty(0, dtype=np.int64))
        candidates = candidates[(f.joined[candidates] <= d) & (f.left[candidates] > d)]
        units = f.units_on(candidates, d)
        same_command = self.commands(units) == self.commands(np.array([unit]))[0]
        stratum = f"{f.rank[i]} ({f.kind[i]}), same command"
        pool, pool_units = candidates[same_command], units[same_command]
        if len(pool) < int(conf["min_peers"]):
            pool, pool_units, stratum = candidates, units, f"{f.rank[i]} ({f.kind[i]}), whole force"
        if len(pool) < int(conf["min_peers"]):
            return "too_few_peers"
        history = int(conf["history_days"])
        prior_me = f.count(f.all_keys, me, d - history - 1, d - 1)[0]
        prior = f.count(f.all_keys, pool, d - history - 1, d - 1)
        service = (d - f.joined[pool]) / YEAR
        distance = np.abs(service - (d - f.joined[i]) / YEAR) / 5 + np.abs(prior - prior_me) + 0.5 * (pool_units != unit)
        order = np.lexsort((f.ids[pool], distance))[: int(conf["peers"])]
        peers = pool[order]
        pool_hi = np.minimum(np.minimum(d + window, self.as_of), f.left[pool])
        pool_exposure = np.clip(pool_hi - d, 0, None) / YEAR
        peer_hi, peer_exposure = pool_hi[order], pool_exposure[order]
        exposure = (hi - d) / YEAR
        prior_weight = float(conf["prior_person_years"])
        everyone = self.everyone[(f.joined[self.everyone] <= d) & (f.left[self.everyone] > d)]
        everyone_hi = np.minimum(np.minimum(d + window, self.as_of), f.left[everyone])
        everyone_exposure = max(float(np.clip(everyone_hi - d, 0, None).sum()) / YEAR, 1e-9)
        observed, expected = {}, {}
        peer_events = 0
        for kind in f.kinds:
            keys = f.keys_by_kind[kind]
            # Rates shrunk level by level: the whole force, then the stratum, then the matched peers, so a stratum
            # or a peer group that happened to have none of an event does not make one event look impossible.
            force_rate = float(f.count(keys, everyone, d, everyone_hi).sum()) / everyone_exposure
            stratum_rate = (float(f.count(keys, pool, d, pool_hi).sum()) + prior_weight * force_rate) / (
                float(pool_exposure.sum()) + prior_weight)
            peer_count = int(f.count(keys, peers, d, peer_hi).sum())
            peer_events += peer_count
            rate = (peer_count + prior_weight * stratum_rate) / (float(peer_exposure.sum()) + prior_weight)
            observed[kind] = int(f.count(keys, me, d, hi)[0])
            expected[kind] = rate * exposure
        p_value, p_by_kind = combined_p(observed, expected)
        detriments = [{"kind": k, "label": LABELS[k], "on": date.fromordinal(day).isoformat(), "ref": ref}
                      for k, day, ref in f.events.get(i, []) if d < day <= hi]
        evaluation = Evaluation(
            person_id=who.person_id, first_day=date.fromordinal(d), window_end=date.fromordinal(hi),
            exposure_years=exposure, unit_id=unit, observed=observed, expected=expected, p_by_kind=p_by_kind,
            p_value=p_value, peers=len(peers), peer_events=peer_events, peer_exposure_years=float(peer_exposure.sum()),
            stratum=stratum, detriments=detriments, reports=who.reports, counter_allegations=counters)
        significant = p_value < float(conf["alpha"]) and evaluation.observed_total >= int(conf["min_events"])
        if counters:
            evaluation.flagged, evaluation.why = True, "an allegation against them from someone they had reported"
        if significant:
            evaluation.flagged = True
            evaluation.why = "; ".join(filter(None, [
                evaluation.why, f"{evaluation.observed_total} detriment(s) against {evaluation.expected_total:.2f} "
                                f"expected from matched peers (p = {p_value:.2g})"]))
        return evaluation


def evaluate(as_of: date, *, force: Force | None = None, conf: dict[str, Any] | None = None) -> Result:
    """Evaluate everyone who spoke up, as of `as_of`. `conf` overrides policy/retaliation.toml's [monitoring]."""
    watched = spoke_up()
    conf = {**settings()["monitoring"], **(conf or {})}
    force = force or load_force()
    matcher = _Matcher(force, set(watched), conf, as_of)
    rules = settings()["detriment"]
    counters = counter_allegations(watched, int(rules["counter_allegation_days"])) \
        if rules.get("counter_allegation_alerts", True) else {}
    result = Result(as_of, [], [], [])
    for person_id in sorted(watched):
        outcome = matcher.evaluate(watched[person_id], counters.get(person_id, []))
        if isinstance(outcome, Evaluation):
            result.evaluations.append(outcome)
        elif outcome == "too_few_peers":
            result.too_few_peers.append(person_id)
        elif outcome == "not_exposed":
            result.not_yet_exposed.append(person_id)
    return result
