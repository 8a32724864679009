"""Declared interests: kept by the person, readable by supervisors and the overseer, checked by conflict rules."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from upstander.accounts.actions import do_create_staff_user
from upstander.accounts.models import Role
from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.people.actions import do_declare_association, do_end_association
from upstander.people.associations import normalise_body, shared_associations
from upstander.people.models import DeclaredAssociation, Person
from upstander.people.tests.roster import load_roster
from upstander.testing.fixtures import login

pytestmark = [pytest.mark.django_db, pytest.mark.urls("upstander.people.tests.urls")]
SYSTEM = Actor.system("test")


@pytest.fixture
def roster(cast):
    load_roster()
    return {p.number: p for p in Person.objects.all()}


@pytest.fixture
def priya_client(cast, roster):
    """A handler whose account is linked to Priya's roster entry, logged in with password and TOTP."""
    password = "priya-correct-horse-battery"
    user, totp_key = do_create_staff_user(actor=SYSTEM, username="priya", password=password, role=Role.HANDLER,
                                          person=roster["1003"])
    cast.passwords["priya"], cast.totp_keys["priya"], cast.users["priya"] = password, totp_key, user
    return login(Client(), cast, "priya")


def test_two_people_who_declared_the_same_lodge_share_it_however_it_is_spelled(roster):
    do_declare_association(actor=SYSTEM, person=roster["1003"], kind="lodge", body="The Unity Lodge No. 123")
    do_declare_association(actor=SYSTEM, person=roster["2001"], kind="lodge", body="unity lodge 123")
    do_declare_association(actor=SYSTEM, person=roster["2001"], kind="business", body="Unity Lodge 123")  # other kind
    shared = shared_associations(roster["1003"], roster["2001"])
    assert [str(s) for s in shared] == ["lodge or other hierarchical society “The Unity Lodge No. 123”"]
    assert shared_associations(roster["2001"], roster["1004"]) == []
    assert normalise_body("Acme Security Ltd.") == normalise_body("acme security")


def test_a_relationship_declared_by_either_side_is_shared_until_it_ends(roster):
    association = do_declare_association(actor=SYSTEM, person=roster["1004"], kind="relationship", body="partner",
                                         counterpart=roster["2001"], declared_on=date(2020, 1, 1))
    assert [s.kind for s in shared_associations(roster["2001"], roster["1004"])] == ["relationship"]
    do_end_association(actor=SYSTEM, association=association, ended_on=date(2024, 1, 1))
    assert shared_associations(roster["2001"], roster["1004"]) == []
    assert len(shared_associations(roster["2001"], roster["1004"], on=date(2023, 6, 1))) == 1


def test_a_relationship_must_name_the_other_person(roster):
    with pytest.raises(ValidationError):
        do_declare_association(actor=SYSTEM, person=roster["1004"], kind="relationship", body="partner")


def test_a_colleague_cannot_keep_someone_elses_declarations(cast, roster):
    with pytest.raises(PermissionDenied):
        do_declare_association(actor=cast.users["handler_a"], person=roster["1003"], kind="lodge", body="Unity")


def test_a_person_declares_and_ends_their_own_interest_on_their_page(priya_client, roster):
    page = priya_client.get("/people/declarations")
    assert page.status_code == 302 and page["Location"] == f"/people/{roster['1003'].public_id}/declarations"
    response = priya_client.post(page["Location"], {"kind": "business", "body": "Acme Security Ltd",
                                                    "declared_on": "2024-02-01"})
    assert response.status_code == 302
    association = DeclaredAssociation.objects.get(person=roster["1003"])
    assert association.body == "Acme Security Ltd" and association.declared_on == date(2024, 2, 1)
    assert "Acme Security Ltd" in priya_client.get(page["Location"]).content.decode()
    priya_client.post(f"{page['Location']}/{association.public_id}/end")
    association.refresh_from_db()
    assert association.ended_on is not None


def test_a_declaration_form_with_an_unknown_counterpart_is_shown_again_with_the_error(priya_client, roster):
    url = f"/people/{roster['1003'].public_id}/declarations"
    response = priya_client.post(url, {"kind": "relationship", "body": "partner", "counterpart_number": "0000"})
    assert response.status_code == 400 and "No one in the roster has that number." in response.content.decode()
    assert not DeclaredAssociation.objects.exists()


@pytest.mark.parametrize("username,status", [("supervisor", 200), ("overseer", 200), ("handler_a", 404),
                                             ("analyst", 404), ("admin", 404), ("custodian", 404),
                                             ("facilitator", 404)])
def test_only_the_person_a_supervisor_or_the_overseer_see_someones_declarations(staff_client, roster, username,
                                                                                  status):
    assert staff_client(username).get(f"/people/{roster['1003'].public_id}/declarations").status_code == status


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(roster):
    response = Client().get(f"/people/{roster['1003'].public_id}/declarations")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login")


def test_a_supervisor_opening_someones_declarations_is_audited_but_a_person_reading_their_own_is_not(
        cast, roster, priya_client, staff_client):
    url = f"/people/{roster['1003'].public_id}/declarations"
    assert priya_client.get(url).status_code == 200
    assert not AuditEvent.objects.filter(action="people.record.view").exists()
    assert staff_client("supervisor").get(url).status_code == 200
    assert list(AuditEvent.objects.filter(action="people.record.view").values_list("actor", "object_id")) == [
        ("user:supervisor", str(roster["1003"].public_id))]
