"""Retaliation monitoring: detriment after speaking up against matched peers, alerts the overseer alone sees."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.test import Client

from upstander.accounts.actions import do_create_staff_user
from upstander.accounts.models import Role
from upstander.audit.log import Actor
from upstander.cases.models import ReporterLink
from upstander.safeguarding.actions import do_record_party
from upstander.safeguarding.commands import safeguarding as safeguarding_cli
from upstander.safeguarding.models import AlertStatus, MonitoringRun, RetaliationAlert, RetaliationClaim
from upstander.safeguarding.monitoring import combined_p, evaluate
from upstander.safeguarding.retaliation import (
    detriment_rates_by_unit,
    do_close_alert,
    do_report_retaliation,
    run_retaliation_monitoring,
)
from upstander.safeguarding.tests import scenario
from upstander.testing.fixtures import login

pytestmark = [pytest.mark.django_db, pytest.mark.urls("upstander.people.tests.urls")]
MONITOR = Actor.system("retaliation")


@pytest.fixture
def world(cast):
    return scenario.build()


def test_the_retaliated_reporters_are_flagged_and_the_others_are_not(world):
    result = evaluate(scenario.AS_OF)
    assert len(result.evaluations) == 10
    flagged = {e.person_id for e in result.evaluations if e.flagged}
    assert flagged == {p.pk for p in world.retaliated}
    one = next(e for e in result.evaluations if e.person_id == world.retaliated[0].pk)
    assert one.observed["involuntary_transfer"] == 1 and one.observed["not_promoted_after_passing"] == 1
    assert one.peers == 25 and one.stratum == "Constable (officer), same command"
    assert one.p_value < 0.001 and one.expected_total < 1


def test_monitoring_opens_one_alert_each_with_the_evidence_and_a_second_run_changes_nothing(world):
    summary = run_retaliation_monitoring(actor=MONITOR, as_of=scenario.AS_OF)
    assert (summary.monitored, summary.flagged, summary.alerts_opened) == (10, 3, 3)
    alert = RetaliationAlert.objects.get(person=world.retaliated[0])
    kinds = [d["kind"] for d in alert.evidence["detriments"]]
    assert kinds == ["involuntary_transfer", "not_promoted_after_passing", "grievance_against"]
    assert alert.observed == 3 and alert.evidence["peers"]["count"] == 25 and alert.raised_by_monitoring
    before = [list(m.objects.order_by("pk").values()) for m in (RetaliationAlert, MonitoringRun)]
    again = run_retaliation_monitoring(actor=MONITOR, as_of=scenario.AS_OF)
    assert (again.alerts_opened, again.alerts_updated) == (0, 0)
    assert [list(m.objects.order_by("pk").values()) for m in (RetaliationAlert, MonitoringRun)] == before


def test_a_closed_alert_is_not_reopened_for_the_same_evidence(world):
    run_retaliation_monitoring(actor=MONITOR, as_of=scenario.AS_OF)
    alert = RetaliationAlert.objects.get(person=world.retaliated[0])
    do_close_alert(actor=MONITOR, alert=alert, note="Transfer reversed; grievance withdrawn.")
    assert run_retaliation_monitoring(actor=MONITOR, as_of=scenario.AS_OF).alerts_opened == 0


def test_a_supporting_witness_is_watched_from_the_day_they_came_forward(world, cast):
    from upstander.safeguarding.tests.helpers import allegation_from, staff_report

    allegation = allegation_from(staff_report(world.people["P0050"], world.people["P0060"], ("bullying",)),
                                 cast.users["handler_a"])
    do_record_party(actor=cast.users["handler_a"], case=allegation.case, person=world.people["P0070"],
                    role="supporting_witness", since=scenario.REPORTED_ON)
    result = evaluate(scenario.AS_OF)
    witness = next(e for e in result.evaluations if e.person_id == world.people["P0070"].pk)
    assert witness.reports[0]["role"] == "supporting_witness" and witness.first_day == scenario.REPORTED_ON


def test_a_reporter_reporting_retaliation_joins_the_same_alert(world):
    run_retaliation_monitoring(actor=MONITOR, as_of=scenario.AS_OF)
    link = ReporterLink.objects.get(person=world.retaliated[0])
    alert = do_report_retaliation(actor=Actor.reporter(), report=link.report, text_ct=b"\x01ciphertext",
                                  kinds=["involuntary_transfer"])
    assert alert == RetaliationAlert.objects.get(person=world.retaliated[0]) and alert.reported_by_person
    assert RetaliationClaim.objects.get(alert=alert).kinds == ["involuntary_transfer"]
    quiet = ReporterLink.objects.get(person=world.reporters[5])
    new = do_report_retaliation(actor=Actor.reporter(), report=quiet.report)
    assert new.person == world.reporters[5] and not new.raised_by_monitoring
    assert RetaliationAlert.objects.filter(status=AlertStatus.OPEN).count() == 4


def test_detriment_rates_of_reporters_against_peers_by_unit(world):
    rows = detriment_rates_by_unit(evaluate(scenario.AS_OF))
    whole = rows[0]
    assert whole.unit == "Whole force" and whole.people == 10 and whole.detriments >= 9
    assert whole.ratio > 2
    assert {r.unit for r in rows[1:]} == {"North BCU", "South BCU"}
    run_retaliation_monitoring(actor=MONITOR, as_of=scenario.AS_OF)
    stored = MonitoringRun.objects.get(as_of=scenario.AS_OF)
    assert stored.evaluated == 10 and stored.flagged == 3 and stored.rates[0] == whole.as_dict()


def test_the_scan_command_reports_as_json(world):
    result = CliRunner().invoke(safeguarding_cli, ["retaliation-scan", "--as-of", scenario.AS_OF.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["alerts_opened"] == 3


def test_one_rare_event_is_surprising_but_a_common_one_is_not():
    p_rare, _ = combined_p({"rare": 1, "common": 0}, {"rare": 0.001, "common": 0.5})
    p_common, _ = combined_p({"rare": 0, "common": 1}, {"rare": 0.001, "common": 0.5})
    assert p_rare < 0.01 < 0.3 < p_common


@pytest.fixture
def line_manager_client(cast, world):
    """A handler whose roster entry is the first retaliated reporter's line manager (their management line)."""
    manager = world.retaliated[0].line_manager
    password = "manager-correct-horse-battery"
    user, totp_key = do_create_staff_user(actor=Actor.system("test"), username="manager", password=password,
                                          role=Role.HANDLER, person=manager)
    cast.passwords["manager"], cast.totp_keys["manager"], cast.users["manager"] = password, totp_key, user
    return login(Client(), cast, "manager")


def test_a_handler_in_the_reporters_line_cannot_see_the_alert_and_the_overseer_can(world, staff_client,
                                                                                   line_manager_client):
    run_retaliation_monitoring(actor=MONITOR, as_of=scenario.AS_OF)
    alert = RetaliationAlert.objects.get(person=world.retaliated[0])
    url = f"/safeguarding/alerts/{alert.public_id}"
    assert line_manager_client.get(url).status_code == 403
    assert line_manager_client.get("/safeguarding/").status_code == 403
    page = staff_client("overseer").get(url)
    assert page.status_code == 200
    assert world.retaliated[0].full_name in page.content.decode()
    assert "not promoted after passing a board" in page.content.decode()
    assert world.retaliated[0].full_name in staff_client("overseer").get("/safeguarding/").content.decode()


def test_on_a_generated_force_most_planted_retaliation_is_alerted_and_most_alerts_are_real():
    """The synthetic force plants one detriment on top of ordinary HR history for half its linked reporters."""
    from datetime import date

    from upstander.people.models import Person
    from upstander.worldgen.generate import generate

    truth = generate(400, 3, 11, retaliation_excess=0.5, progress=False)
    planted = {r["person"] for r in truth["retaliated_reporters"]}
    run_retaliation_monitoring(actor=MONITOR, as_of=date.fromisoformat(truth["window"]["to"]))
    alerted = set(Person.objects.filter(pk__in=RetaliationAlert.objects.values("person")).values_list("number",
                                                                                                        flat=True))
    found = alerted & planted
    assert len(planted) >= 10
    assert len(found) / len(planted) > 0.5 and len(found) / len(alerted) > 0.5, (len(planted), len(alerted), len(found))
