"""Staff pages of the roster: a person's declared interests. Deny by default: a person sees and keeps their own
declarations; supervisors and the overseer any person's; everyone else gets 404 (not even that the person exists)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from upstander.accounts.models import Role
from upstander.accounts.permissions import staff_view
from upstander.people.actions import do_declare_association, do_end_association
from upstander.people.forms import DeclarationForm
from upstander.people.models import DeclaredAssociation, Person

ALL_STAFF = tuple(Role.values)
KEEPERS: frozenset[str] = frozenset({Role.SUPERVISOR, Role.OVERSEER})


def _person_for(request: HttpRequest, public_id) -> Person:
    person = Person.objects.filter(public_id=public_id).first()
    user = request.user
    if person is None or not (user.person_id == person.pk or user.role in KEEPERS):  # type: ignore[union-attr]
        raise Http404("No such person")
    return person


@staff_view(ALL_STAFF)
def my_declarations(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]
    if person is None:
        raise Http404("Your account is not linked to a roster entry")
    return redirect("people:declarations", public_id=person.public_id)


@staff_view(ALL_STAFF)
@require_http_methods(["GET", "POST"])
def declarations(request: HttpRequest, public_id) -> HttpResponse:
    person = _person_for(request, public_id)
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_declare_association(actor=request.user, person=person, kind=data["kind"], body=data["body"],
                                   counterpart=data["counterpart"], declared_on=data["declared_on"])
        except ValidationError as exc:
            form.add_error(None, "; ".join(exc.messages))
        else:
            return redirect("people:declarations", public_id=person.public_id)
    rows = person.associations.select_related("counterpart").order_by("ended_on", "-declared_on")
    return render(request, "people/declarations.html", {"person": person, "rows": rows, "form": form},
                  status=400 if form.errors else 200)


@staff_view(ALL_STAFF)
@require_POST
def end_declaration(request: HttpRequest, public_id, association_id) -> HttpResponse:
    person = _person_for(request, public_id)
    association = get_object_or_404(DeclaredAssociation, public_id=association_id, person=person)
    do_end_association(actor=request.user, association=association)
    return redirect("people:declarations", public_id=person.public_id)
