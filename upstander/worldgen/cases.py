"""Turn a planned case into rows: report, case, subject mentions, allegations, stage events, assignments,
decisions, reporter link and the HR events a case causes. Background cases and planted ones use the same builder,
the planted ones only fix some of its choices.

Stage keys: received, acknowledged, assessed, routed, investigation, case_to_answer, proceedings, outcome, review,
closed. A case is cut at the world's end date, so recent ones are open in whatever stage they had reached.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from upstander.cases import rules
from upstander.worldgen import config as c
from upstander.worldgen.history import HRLog
from upstander.worldgen.ids import CaseCodes, UuidSource, between, moment, office_seconds, pick, stream
from upstander.worldgen.mentions import write_mention
from upstander.worldgen.world import Person, World

FIELDS = {
    "case": ["id", "public_id", "code", "handling_org_id", "handling_unit_id", "route", "state", "opened_on",
             "came_to_attention_on", "closed_on", "main_category", "handling_route"],
    "report": ["id", "public_id", "channel", "mode", "route", "reporter_type", "reporter_role", "categories",
               "received_on", "incident_on", "still_works_alongside", "handling_org_id", "released_on", "case_id",
               "reporter_sex", "reporter_ethnicity"],
    "mention": ["id", "public_id", "report_id", "name_as_written", "number_as_written", "unit_as_written",
                "rank_as_written", "person_id", "link_status"],
    "allegation": ["id", "public_id", "case_id", "subject_id", "mention_id", "category", "severity", "possible_crime",
                   "referral_required", "finding", "outcome", "outcome_on", "barred_list_referral",
                   "referral_criteria"],
    "referral": ["id", "public_id", "case_id", "allegation_id", "referred_on", "referred_by", "reference", "criteria"],
    "stage": ["id", "case_id", "stage", "at", "actor", "reason"],
    "assignment": ["id", "case_id", "role", "person_id", "started_at", "ended_at", "handover_reason"],
    "decision": ["id", "case_id", "allegation_id", "kind", "value", "reasons", "decided_by", "at"],
    "reporterlink": ["id", "report_id", "person_id"],
}

HANDOVER_REASONS = [
    "Previous owner moved to another team", "Workload rebalanced across the unit", "Previous owner on long-term leave",
    "Conflict of interest identified", "Previous owner promoted", "Previous owner left the unit",
    "Case reallocated after restructure",
]
REASONS = {
    ("severity", "no_case"): "No indication of conduct that would justify disciplinary proceedings",
    ("severity", "pri"): "Performance falls short of expectations; handled as practice requiring improvement",
    ("severity", "misconduct"): "If proven, the conduct would justify disciplinary action",
    ("severity", "gross_misconduct"): "If proven, the conduct would be so serious that dismissal would be justified",
    ("route", "local_handling"): "Handled locally, otherwise than by investigation",
    ("route", "reflective_practice"): "Referred to the reflective practice review process",
    ("route", "psu_investigation"): "Investigation by professional standards under the conduct regulations",
    ("route", "independent_referral"): "Meets the mandatory referral criteria: referred to the independent body",
    ("case_to_answer", "case_to_answer"): "Evidence on which a panel could find misconduct",
    ("case_to_answer", "no_case_to_answer"): "Insufficient evidence on which a panel could find misconduct",
    ("review", "upheld"): "Review upheld: the outcome was not reasonable and proportionate",
    ("review", "not_upheld"): "Review not upheld: the outcome was reasonable and proportionate",
}
ROUTES = {"no_case": "local_handling", "pri": "reflective_practice", "misconduct": "psu_investigation",
          "gross_misconduct": "psu_investigation"}
OUTCOME_REASONS = {"nfa": "No further action: the evidence does not support action against the subject",
                   "would_have_been_dismissed": "Proceedings continued after the subject left the force"}
CLOSING_REASONS = "Outcome sent; review window passed"
# The planted outcome difference: a case whose report records a woman as the complainant reaches "case to answer"
# with `female_case_to_answer` times the usual probability.
# The planted attrition: a colleague who leaves within this many days of a report (other than by death or dismissal)
# is `reporter_attrition` times as likely to be the one who reported.
LEAVING_SOON_DAYS = 730
NOT_ATTRITION = ("died", "dismissed")
POSSIBLE_CRIME = {"sexual_assault": 1.0, "other_crime": 1.0, "domestic_abuse": 0.6, "violence": 0.4,
                  "corruption": 0.5, "abuse_of_position_sexual": 0.7, "sexual_misconduct": 0.2}


@dataclass
class Subject:
    person: Person
    linked: bool | None = None  # None: the background rule decides
    style: str | None = None
    number_style: str | None = None


@dataclass
class Plan:
    received: int
    internal: bool
    category: str
    subjects: list[Subject]
    reporter: Person | None = None
    channel: str | None = None
    mode: str | None = None
    role: str | None = None
    route: str | None = None
    severity: str | None = None
    case_to_answer: bool | None = None
    finding: str | None = None  # forces the finding (and `outcome`) of every allegation
    outcome: str | None = None
    outcome_on: int | None = None  # fit the timeline so the outcome falls on this day
    handovers: int | None = None
    stall: bool | None = None
    secondary: bool | None = None
    no_crime: bool = False  # planted: keep the allegation out of the mandatory-referral criteria


@dataclass
class Built:
    case_id: int
    code: str
    report_id: int
    stages: dict[str, int] = field(default_factory=dict)
    mentions: list[dict] = field(default_factory=list)
    owners: int = 0
    state: str = "received"
    subjects: list[int] = field(default_factory=list)
    reporter: int | None = None
    linked_reporter: bool = False
    role: str = ""
    categories: list[str] = field(default_factory=list)


class CaseBuilder:
    def __init__(self, world: World, orgs: dict[str, int]) -> None:
        seed = world.cfg.seed
        self.world = world
        self.rng = stream(seed, "cases")
        self.codes = CaseCodes(seed)
        self.uuid = {name: UuidSource(seed, name) for name in ("case", "report", "mention", "allegation", "referral")}
        self.hr = HRLog(world, "cases")
        self.orgs = orgs
        self.psu_people = [p for p in world.people if p.unit == world.psu_unit.id]
        self.psu_head = world.by_id[world.psu_unit.head or 0]
        self.psu_seniors = [p for p in self.psu_people if p.kind == "officer" and p.level >= c.INSP]
        self.members = world.members_index()
        self.reporter_links: list[tuple[int, int, str, list[int]]] = []  # person, day, case code, subject ids
        self.built: list[Built] = []
        self._criteria_cache: dict[tuple[str, bool], list[str]] = {}
        # Case-to-answer decisions drawn (not fixed by a planted pattern) by the complainant's recorded sex ("" when
        # not recorded): sex -> [decided, case to answer].
        self.cta_decisions: dict[str, list[int]] = {}

    # --- people lookups -------------------------------------------------------------------------------------
    def psu_on(self, day: int, avoid: int | None = None) -> Person:
        rng = self.rng
        for _ in range(50):
            p = self.psu_people[between(rng, 0, len(self.psu_people))]
            if p.employed_on(day) and p.id != avoid:
                return p
        return self.psu_head

    def _criteria(self, category: str, crime: bool) -> list[str]:
        """Mandatory-referral criteria met (policy/referral.toml via cases.rules), cached per category."""
        key = (category, crime)
        if key not in self._criteria_cache:
            self._criteria_cache[key] = [m.key for m in rules.criteria_met(category=category, possible_crime=crime)]
        return self._criteria_cache[key]

    def decision_maker_on(self, day: int) -> Person:
        """The appropriate authority: a senior officer of professional standards (inspector or above)."""
        senior = [p for p in self.psu_seniors if p.employed_on(day)]
        return senior[between(self.rng, 0, len(senior))] if senior else self.psu_head

    def teammates(self, person: Person, day: int, *, kind: str | None = None) -> list[Person]:
        team = person.team_on(day)
        if team is None:
            return []
        ids = [pid for pid, start, end in self.members.get(team, ()) if start <= day < end and pid != person.id]
        people = [self.world.by_id[i] for i in ids]
        return [p for p in people if kind is None or p.kind == kind]

    def pick_reporter(self, rng, mates: list[Person], day: int) -> Person | None:
        """The colleague who reports: uniform, except that those who will leave soon after the day are
        `reporter_attrition` times as likely (the planted attrition after reporting). One draw whatever the
        ratio, so the ratio changes who reports and nothing else about the stream."""
        if not mates:
            return None
        ratio = self.world.cfg.reporter_attrition
        weights = [ratio if leaves_soon(m, day) else 1.0 for m in mates]
        x = rng.random() * sum(weights)
        for mate, weight in zip(mates, weights, strict=True):
            x -= weight
            if x < 0:
                return mate
        return mates[-1]

    # --- the case ------------------------------------------------------------------------------------------
    def add(self, plan: Plan) -> Built:
        w, rng, rows, end = self.world, self.rng, self.world.rows, self.world.cfg.end
        internal = plan.internal
        severity = plan.severity or self._severity(internal)
        cats = [plan.category]
        secondary = plan.secondary if plan.secondary is not None else rng.random() < 0.12
        if secondary:
            extra = self._category(internal)
            if extra != plan.category:
                cats.append(extra)
        # One allegation per subject (the first subject also for a second category): (person, category, crime, met).
        specs = []
        for i in range(len(plan.subjects)):
            for category in cats if i == 0 else cats[:1]:
                crime = not plan.no_crime and rng.random() < POSSIBLE_CRIME.get(category, 0.0)
                met = self._criteria(category, crime)
                specs.append((i, category, crime, met))
        referral = any(met for *_rest, met in specs)
        if referral and severity in ("no_case", "pri"):
            severity = "misconduct"  # a mandatory-referral matter is never handled as no case or reflective practice
        route_key = "independent_referral" if referral else ROUTES[severity]
        # Who complained, as the report records it (the form's optional equality questions), comes first: the
        # planted outcome difference depends on it.
        channel, mode, role = self._channel(plan)
        reporter = plan.reporter
        r_sex, r_eth = "", ""
        if reporter is not None and (mode != "anonymous" or rng.random() < 0.5):
            r_sex, r_eth = reporter.sex, reporter.ethnicity
        elif reporter is None and rng.random() < 0.6:
            r_sex = "female" if rng.random() < 0.45 else "male"
            r_eth = pick(rng, list(c.ETHNICITY_SHARES), list(c.ETHNICITY_SHARES.values()))
        stages, cta = self._timeline(plan, severity, female=r_sex == "female")
        kept = [(s, d) for s, d in stages if d <= end]
        if plan.case_to_answer is None and any(s == "case_to_answer" for s, _d in kept):
            tally = self.cta_decisions.setdefault(r_sex, [0, 0])
            tally[0] += 1
            tally[1] += cta
        case_id, report_id = w.next_id("case"), w.next_id("report")
        code = self.codes.next()
        built = Built(case_id=case_id, code=code, report_id=report_id, stages=dict(kept), state=kept[-1][0])
        route = plan.route or ("independent" if internal and rng.random() < 0.06 else "force")
        rows["case"].append((case_id, self.uuid["case"].next(), code, self.orgs["force"], w.psu_unit.id, route,
                             built.state, plan.received, plan.received, built.stages.get("closed"), plan.category,
                             route_key if "routed" in built.stages else ""))

        # The report.
        alongside = None
        if reporter is not None:
            mine, theirs = reporter.team_on(plan.received), plan.subjects[0].person.team_on(plan.received)
            alongside = mine is not None and mine == theirs
        released = None
        if route == "independent" and rng.random() < 0.6 and plan.received + 60 <= end:
            released = plan.received + between(rng, 10, 60)
        incident = None if rng.random() < 0.1 else plan.received - (0 if rng.random() < 0.3 else between(rng, 0, 60))
        rows["report"].append((report_id, self.uuid["report"].next(), channel, mode, route,
                               "staff" if internal else "public", role, cats, plan.received, incident, alongside,
                               self.orgs["overseer" if route == "independent" else "force"], released, case_id,
                               r_sex, r_eth))
        if reporter is not None and mode in ("named", "confidential"):
            rows["reporterlink"].append((w.next_id("reporterlink"), report_id, reporter.id))
            self.reporter_links.append((reporter.id, plan.received, code, [s.person.id for s in plan.subjects]))

        # Mentions, as written; then allegations against the true people (linked or not).
        mention_ids = []
        for subject in plan.subjects:
            person = subject.person
            name, number, unit, rank, variants = write_mention(
                w, person, rng, on=plan.received, internal=internal, style=subject.style,
                number_style=subject.number_style)
            linked = subject.linked if subject.linked is not None else self._linked(internal, variants)
            mention_id = w.next_id("mention")
            mention_uuid = self.uuid["mention"].next()
            rows["mention"].append((mention_id, mention_uuid, report_id, name, number, unit, rank,
                                    person.id if linked else None, "confirmed" if linked else "unresolved"))
            w.truth.setdefault("mentions", {})[mention_uuid] = person.number
            built.mentions.append({"mention": _dashed(mention_uuid), "name": name, "number": number, "unit": unit,
                                   "rank": rank, "variants": variants, "linked": linked, "case": code})
            mention_ids.append((mention_id, linked))

        stages_on = built.stages
        assessed, outcome_day, routed = stages_on.get("assessed"), stages_on.get("outcome"), stages_on.get("routed")
        case_owner = self._assignments(plan, built, kept)
        allegation_ids = []
        for i, category, crime, met in specs:
            person = plan.subjects[i].person
            mention_id, linked = mention_ids[i]
            aid = w.next_id("allegation")
            allegation_ids.append(aid)
            finding = outcome = ""
            if outcome_day is not None:
                finding, outcome = self._result(plan, severity, cta, person, outcome_day)
            rows["allegation"].append((aid, self.uuid["allegation"].next(), case_id, person.id if linked else None,
                                       mention_id, category, severity if assessed else "", crime, bool(met), finding,
                                       outcome, outcome_day if outcome else None,
                                       outcome in ("dismissal", "would_have_been_dismissed"), []))
            if assessed is not None:
                self._decide(case_id, aid, "severity", severity, case_owner(assessed), assessed)
            if met and routed is not None:
                rows["referral"].append((w.next_id("referral"), self.uuid["referral"].next(), case_id, aid, routed,
                                         case_owner(routed), f"IOPC/{between(rng, 2015, 2030)}/{aid:06d}", met))
            if outcome_day is not None:
                self._decide(case_id, aid, "outcome", outcome, "", outcome_day,
                             reasons=OUTCOME_REASONS.get(outcome, ""))
        if assessed is not None:
            for subject in plan.subjects:
                w.allegation_log.append((subject.person.id, plan.received, severity, internal))
        built.subjects = [s.person.id for s in plan.subjects]
        built.reporter = reporter.id if reporter is not None else None
        built.linked_reporter = reporter is not None and mode in ("named", "confidential")
        built.role, built.categories = role, cats
        self.built.append(built)
        self._stage_rows(built, kept, severity, cta, route_key, case_owner, len(allegation_ids))
        self._hr_effects(plan, built, severity)
        return built

    # --- choices -------------------------------------------------------------------------------------------
    def _severity(self, internal: bool) -> str:
        weights = [0.40, 0.30, 0.25, 0.05] if internal else [0.55, 0.30, 0.12, 0.03]
        return pick(self.rng, ["no_case", "pri", "misconduct", "gross_misconduct"], weights)

    def _category(self, internal: bool) -> str:
        table = INTERNAL_CATEGORIES if internal else PUBLIC_CATEGORIES
        return pick(self.rng, list(table), list(table.values()))

    def _channel(self, plan: Plan) -> tuple[str, str, str]:
        rng = self.rng
        if plan.internal:
            channel = plan.channel or pick(rng, ["colleague", "online", "listening_circle", "referral", "phone"],
                                                  [0.40, 0.30, 0.10, 0.15, 0.05])
            if plan.mode:
                mode = plan.mode
            elif channel == "referral":
                mode = "named"
            elif channel == "listening_circle":
                mode = pick(rng, ["confidential", "anonymous", "named"], [0.5, 0.35, 0.15])
            else:
                mode = pick(rng, ["named", "confidential", "anonymous"], [0.45, 0.30, 0.25])
            role = plan.role or pick(rng, ["victim", "witness", "third_party"], [0.55, 0.35, 0.10])
        else:
            channel = plan.channel or pick(rng, ["public_complaint", "online", "phone"], [0.5, 0.35, 0.15])
            mode = plan.mode or pick(rng, ["named", "anonymous", "confidential"], [0.85, 0.10, 0.05])
            role = plan.role or pick(rng, ["victim", "witness", "third_party"], [0.70, 0.20, 0.10])
        return channel, mode, role

    def _linked(self, internal: bool, variants: list[str]) -> bool:
        rng = self.rng
        if internal:
            return rng.random() < 0.95
        if variants[0] == "unit_only":
            return rng.random() < 0.3
        return rng.random() < (0.97 if variants[1] == "number" else 0.82)

    def _timeline(self, plan: Plan, severity: str, *, female: bool = False) -> tuple[list[tuple[str, int]], bool]:
        rng, start = self.rng, plan.received
        investigate = severity in ("misconduct", "gross_misconduct")
        p_cta = 0.7 if severity == "gross_misconduct" else 0.55
        if female:
            p_cta *= self.world.cfg.female_case_to_answer
        cta = plan.case_to_answer if plan.case_to_answer is not None else rng.random() < p_cta
        if plan.outcome_on is not None:  # fitted: place the stages proportionally up to the given outcome day
            span = max(plan.outcome_on - start, 30)
            marks = [("acknowledged", 0.01), ("assessed", 0.04), ("routed", 0.06)]
            if investigate:
                marks += [("investigation", 0.08), ("case_to_answer", 0.6)]
                if cta:
                    marks.append(("proceedings", 0.9))
            stages = [("received", start)] + [(s, start + max(1, int(span * f))) for s, f in marks]
            stages.append(("outcome", start + span))
            stages.append(("closed", start + span + between(rng, 29, 45)))
            return _monotonic(stages), cta
        stall = plan.stall if plan.stall is not None else (
            start > self.world.cfg.end - 730 and rng.random() < 0.06)
        day = start
        stages = [("received", day)]
        day += between(rng, 0, 4) if rng.random() > 0.05 else between(rng, 10, 30)
        stages.append(("acknowledged", day))
        if stall and rng.random() < 0.5:
            day += between(rng, 120, 400)
            stall = False
        day += between(rng, 2, 21)
        stages.append(("assessed", day))
        day += between(rng, 0, 8)
        stages.append(("routed", day))
        if investigate:
            day += between(rng, 0, 11)
            stages.append(("investigation", day))
            day += between(rng, 60, 300 if severity == "gross_misconduct" else 240)
            if stall:
                day += between(rng, 150, 400)
            stages.append(("case_to_answer", day))
            if cta:
                day += between(rng, 30, 150)
                stages.append(("proceedings", day))
                day += between(rng, 0, 21)
            else:
                day += between(rng, 3, 30)
        else:
            day += between(rng, 5, 60)
        stages.append(("outcome", day))
        # Closing waits for the 28-day review window; a review opens within it.
        if not plan.internal and rng.random() < 0.08:
            day += between(rng, 5, 28)
            stages.append(("review", day))
            day += between(rng, 20, 90)
        else:
            day += between(rng, 29, 45)
        stages.append(("closed", day))
        return stages, cta

    def _result(self, plan: Plan, severity: str, cta: bool, person: Person, outcome_day: int) -> tuple[str, str]:
        rng = self.rng
        if plan.finding is not None:
            return plan.finding, plan.outcome or "nfa"
        if severity == "no_case":
            return "no_finding", "nfa"
        if severity == "pri":
            return "no_finding", "reflective_practice"
        gross = severity == "gross_misconduct"
        if not cta:
            finding = pick(rng, ["not_substantiated", "unfounded", "exonerated"], [0.6, 0.2, 0.2])
            return finding, pick(rng, ["nfa", "management_action", "reflective_practice"], [0.7, 0.2, 0.1])
        if rng.random() > (0.78 if gross else 0.72):
            return "not_substantiated", "nfa"
        if gross:
            outcome = pick(rng, ["final_written_warning", "dismissal", "reduction_in_rank"], [0.35, 0.55, 0.10])
        else:
            outcome = pick(rng, ["management_action", "written_warning", "final_written_warning"],
                                  [0.3, 0.45, 0.25])
        if person.left is not None and person.left <= outcome_day:
            # Gone before the outcome: only gross misconduct is still heard ("would have been dismissed").
            return ("substantiated", "would_have_been_dismissed") if gross else ("no_finding", "nfa")
        if outcome == "dismissal" and not (person.leaving_reason == "dismissed" and person.left == outcome_day):
            outcome = "final_written_warning"  # still in post at the end date: a dismissal would contradict the roster
        if outcome == "reduction_in_rank" and (person.kind != "officer" or person.level == 0):
            outcome = "final_written_warning"
        return "substantiated", outcome

    # --- rows that follow from the timeline -------------------------------------------------------------------
    def _decide(self, case_id: int, allegation_id: int | None, kind: str, value: str, by: str, day: int, *,
                reasons: str | None = None) -> None:
        by = by or f"person:{self.psu_head.number}"
        self.world.rows["decision"].append((
            self.world.next_id("decision"), case_id, allegation_id, kind, value,
            REASONS.get((kind, value), "") if reasons is None else reasons, by,
            moment(day, 17 * 3600 + between(self.rng, 0, 3600))))

    def _stage_rows(self, built: Built, kept: list[tuple[str, int]], severity: str, cta: bool, route_key: str,
                    owner_label, n_allegations: int) -> None:
        rng, w = self.rng, self.world
        last = 0
        for stage, day in kept:
            at = max(moment(day, office_seconds(rng)), last + 60)
            last = at
            actor = "system:worldgen" if stage == "received" else owner_label(day)
            reason = ""
            if stage == "closed":
                reason = CLOSING_REASONS
            elif stage == "case_to_answer" and not cta:
                reason = REASONS[("case_to_answer", "no_case_to_answer")]
            w.rows["stage"].append((w.next_id("stage"), built.case_id, stage, at, actor, reason))
            if stage == "assessed":
                self._decide(built.case_id, None, "recording", ",".join([severity] * n_allegations), actor, day)
            elif stage == "routed":
                self._decide(built.case_id, None, "route", route_key, actor, day)
            elif stage == "case_to_answer":
                self._decide(built.case_id, None, "case_to_answer", "case_to_answer" if cta else "no_case_to_answer",
                             "", day)
            elif stage == "proceedings":
                kind = "misconduct_hearing" if severity == "gross_misconduct" else "misconduct_meeting"
                self._decide(built.case_id, None, "proceedings", kind, "", day)
            elif stage == "review":
                self._decide(built.case_id, None, "review", "upheld" if rng.random() < 0.2 else "not_upheld", "", day)

    def _assignments(self, plan: Plan, built: Built, kept: list[tuple[str, int]]):
        """Owner from acknowledgement (with handovers), investigator and decision-maker from the investigation.
        Returns day -> actor label of the owner then ("person:<number>")."""
        rng, w, end = self.rng, self.world, self.world.cfg.end
        stages = dict(kept)
        if "acknowledged" not in stages:
            return lambda day: "system:worldgen"
        first = stages["acknowledged"]
        last = stages.get("closed", end)
        n = plan.handovers if plan.handovers is not None else pick(rng, [0, 1, 2, 3], [0.70, 0.20, 0.07, 0.03])
        n = min(n, max(0, last - first - 1))
        starts = [first] + (sorted(rng.sample(range(first + 1, last), n)) if n else [])
        owners: list[Person] = []
        for day in starts:
            owners.append(self.psu_on(day, avoid=owners[-1].id if owners else None))
        closed_at = moment(stages["closed"], 18 * 3600) if "closed" in stages else None
        for i, (day, owner) in enumerate(zip(starts, owners, strict=True)):
            started = moment(day, 9 * 3600 + i)
            ended = moment(starts[i + 1], 9 * 3600 + i + 1) if i + 1 < len(starts) else closed_at
            reason = "" if i == 0 else HANDOVER_REASONS[between(rng, 0, len(HANDOVER_REASONS))]
            w.rows["assignment"].append((w.next_id("assignment"), built.case_id, "owner", owner.id, started, ended,
                                         reason))
        built.owners = len(owners)
        if "investigation" in stages:
            day = stages["investigation"]
            ended = moment(stages["outcome"], 18 * 3600) if "outcome" in stages else None
            investigator = self.psu_on(day, avoid=owners[0].id) if rng.random() < 0.6 else owners[0]
            w.rows["assignment"].append((w.next_id("assignment"), built.case_id, "investigator", investigator.id,
                                         moment(day, 10 * 3600), ended, ""))
            w.rows["assignment"].append((w.next_id("assignment"), built.case_id, "decision_maker",
                                         self.decision_maker_on(day).id, moment(day, 10 * 3600 + 1), ended, ""))
        numbers = [o.number for o in owners]

        def owner_label(day: int) -> str:
            return f"person:{numbers[max(0, bisect_right(starts, day) - 1)]}"
        return owner_label

    def _hr_effects(self, plan: Plan, built: Built, severity: str) -> None:
        day = built.stages.get("investigation")
        if day is None:
            return
        rng = self.rng
        for subject in plan.subjects:
            p = subject.person
            if not p.employed_on(day):
                continue
            if p.kind == "staff":
                self.hr.add(p.id, "disciplinary_against", day, initiated_by=self.psu_head.id)
            elif severity == "gross_misconduct":
                roll = rng.random()
                if roll < 0.25:
                    self.hr.add(p.id, "suspended", day + between(rng, 0, 14), initiated_by=self.psu_head.id)
                elif roll < 0.65:
                    self.hr.add(p.id, "restricted_duties", day + between(rng, 0, 14), initiated_by=self.psu_head.id)


def leaves_soon(person: Person, day: int) -> bool:
    return person.left is not None and day < person.left <= day + LEAVING_SOON_DAYS and \
        person.leaving_reason not in NOT_ATTRITION


def _dashed(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def _monotonic(stages: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out, last = [], -1
    for stage, day in stages:
        last = max(day, last)
        out.append((stage, last))
    return out


PUBLIC_CATEGORIES = {
    "violence": 0.24, "other": 0.26, "racism": 0.09, "misogyny": 0.03, "corruption": 0.04,
    "sexual_misconduct": 0.03, "abuse_of_position_sexual": 0.02, "sexual_assault": 0.01, "domestic_abuse": 0.03,
    "other_crime": 0.06, "homophobia": 0.02, "religious_discrimination": 0.02, "disability_discrimination": 0.03,
    "bullying": 0.02,
}
INTERNAL_CATEGORIES = {
    "bullying": 0.24, "misogyny": 0.14, "sexual_misconduct": 0.12, "racism": 0.10, "homophobia": 0.05,
    "corruption": 0.08, "other": 0.10, "retaliation": 0.03, "domestic_abuse": 0.04, "violence": 0.03,
    "other_crime": 0.03, "religious_discrimination": 0.01, "disability_discrimination": 0.01,
    "abuse_of_position_sexual": 0.01, "sexual_assault": 0.01,
}
