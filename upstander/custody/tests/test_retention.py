from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.cases import actions
from upstander.cases.models import Allegation, Case, Message, Report, ReporterLink, SealedKey
from upstander.custody.retention import (
    NOT_CONTENT,
    PURGE_PLAN,
    add_years,
    do_lift_legal_hold,
    do_set_legal_hold,
    purge_due,
)
from upstander.lib import storage
from upstander.reports import files
from upstander.reports.attachments import attach, stage_file
from upstander.reports.choices import MessageDirection
from upstander.reports.messages import add_message

TICK = Actor.system("tick")


@pytest.fixture
def closed_case(cast, submit, open_case):
    """A bullying case (10 years' retention) with a message and an attached file, closed today."""
    report = submit(place="the custody suite")
    with transaction.atomic():
        add_message(report, report.data_key, direction=MessageDirection.FROM_REPORTER, body="He did it again today.")
        staged = stage_file(files.check("notes.txt", b"what he said, written down the same day"))
        attach(report, report.data_key, [staged])
    storage.promote(staged.original_blob)
    storage.promote(staged.clean_blob)
    case = open_case(report)
    actions.do_close(actor=cast.users["handler_a"], case=case, reasons="Resolved by local management action.")
    case.refresh_from_db()
    case.blobs = [staged.original_blob, staged.clean_blob]
    return case


def test_a_closed_case_past_retention_loses_its_content_and_keeps_its_statistics(
        closed_case, django_capture_on_commit_callbacks):
    case = closed_case
    report = Report.objects.get(case=case)
    before = (case.state, case.main_category, case.opened_on, case.closed_on, report.categories, report.received_on)
    assert purge_due(actor=TICK, today=add_years(case.closed_on, 10) - timedelta(days=1)).purged == []

    with django_capture_on_commit_callbacks(execute=True):
        result = purge_due(actor=TICK, today=add_years(case.closed_on, 10))

    assert result.purged == [case.code]
    case.refresh_from_db()
    report.refresh_from_db()
    assert (case.state, case.main_category, case.opened_on, case.closed_on, report.categories,
            report.received_on) == before
    assert case.purged_on and report.purged_on
    assert report.narrative_ct is None and report.place_ct is None and report.sealed_identity is None
    assert not SealedKey.objects.filter(report=report).exists()
    assert not ReporterLink.objects.filter(report=report).exists()
    assert all(bytes(m.body_ct) == b"" for m in Message.objects.filter(report=report))
    assert not apps.get_model("reports.Attachment").objects.filter(report=report).exists()
    assert case.blobs and not any(storage.exists(name) for name in case.blobs)
    event = AuditEvent.objects.get(action="retention.purge")
    assert event.actor == "system:tick" and event.object_id == str(case.public_id)


def test_purging_twice_changes_nothing_the_second_time(closed_case):
    later = add_years(closed_case.closed_on, 11)
    assert len(purge_due(actor=TICK, today=later).purged) == 1
    assert purge_due(actor=TICK, today=later).purged == []
    assert AuditEvent.objects.filter(action="retention.purge").count() == 1


def test_a_legal_hold_stops_the_purge_until_it_is_lifted(closed_case, supervisor, overseer):
    later = add_years(closed_case.closed_on, 11)
    hold = do_set_legal_hold(actor=overseer, case=closed_case, reason="Employment tribunal claim 2201234/2025")
    result = purge_due(actor=TICK, today=later)
    assert result.purged == [] and result.held == [closed_case.code]
    assert Report.objects.get(case=closed_case).narrative_ct is not None

    with pytest.raises(PermissionDenied):
        do_lift_legal_hold(actor=supervisor, hold=hold, reason="tribunal over")
    with pytest.raises(ValidationError):
        do_lift_legal_hold(actor=overseer, hold=hold, reason=" ")
    do_lift_legal_hold(actor=overseer, hold=hold, reason="The tribunal gave judgment; no appeal was lodged.")
    assert purge_due(actor=TICK, today=later).purged == [closed_case.code]
    assert list(AuditEvent.objects.filter(action__startswith="retention.").values_list("action", flat=True)) == [
        "retention.hold", "retention.hold_lift", "retention.purge"]


def test_only_a_supervisor_or_the_overseer_places_a_hold_and_always_with_reasons(closed_case, handler_a, analyst,
                                                                                  supervisor):
    for actor in (handler_a, analyst):
        with pytest.raises(PermissionDenied):
            do_set_legal_hold(actor=actor, case=closed_case, reason="keep it")
    with pytest.raises(ValidationError):
        do_set_legal_hold(actor=supervisor, case=closed_case, reason="")
    do_set_legal_hold(actor=supervisor, case=closed_case, reason="Civil claim against the force")
    assert Case.objects.get(pk=closed_case.pk).legal_hold


def test_an_open_case_is_never_purged(cast, submit, open_case):
    case = open_case(submit())
    assert purge_due(actor=TICK, today=add_years(case.opened_on, 50)).purged == []


def test_the_longest_retention_of_a_cases_categories_applies(cast, submit, open_case, handler_a):
    case = open_case(submit(categories=("bullying",)))
    actions.do_add_allegation(actor=handler_a, case=case, category="corruption")
    actions.do_close(actor=handler_a, case=case, reasons="No further action after assessment.")
    case.refresh_from_db()
    assert Allegation.objects.filter(case=case, category="corruption").exists()
    assert purge_due(actor=TICK, today=add_years(case.closed_on, 14)).purged == []  # bullying alone: 10 years
    assert purge_due(actor=TICK, today=add_years(case.closed_on, 15)).purged == [case.code]


def _linked_to_content(model) -> bool:
    return any(isinstance(f, models.ForeignKey) and f.related_model in (Report, Case, Message)
               for f in model._meta.get_fields() if f.concrete)


def test_every_encrypted_field_beside_a_report_or_case_has_a_purge_rule():
    """A new model holding reporter content must say what retention does to it (retention.PURGE_PLAN)."""
    missing = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in ("custody", "audit"):
            continue
        if model not in (Report, Case) and not _linked_to_content(model):
            continue
        plan = PURGE_PLAN.get(label, {})
        for f in model._meta.concrete_fields:
            if isinstance(f, models.BinaryField) and f"{label}.{f.name}" not in NOT_CONTENT:
                if not plan.get("delete") and f.name not in plan.get("blank", []):
                    missing.append(f"{label}.{f.name}")
    assert missing == []
