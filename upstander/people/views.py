"""Staff pages of the roster: a person's declared interests. Deny by default: a person sees and keeps their own
declarations; supervisors and the overseer any person's; everyone else gets 404 (not even that the person exists)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from upstander.accounts.permissions import ALL_STAFF, staff_view
from upstander.people.access import get_association_for, get_person_for
from upstander.people.actions import do_declare_association, do_end_association
from upstander.people.forms import DeclarationForm


@staff_view(ALL_STAFF)
def my_declarations(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]
    if person is None:
        raise Http404("Your account is not linked to a roster entry")
    return redirect("people:declarations", public_id=person.public_id)


@staff_view(ALL_STAFF)
@require_http_methods(["GET", "POST"])
def declarations(request: HttpRequest, public_id) -> HttpResponse:
    person = get_person_for(request.user, public_id, write=request.method == "POST")
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
    person = get_person_for(request.user, public_id, write=True)
    association = get_association_for(request.user, person, association_id)
    do_end_association(actor=request.user, association=association)
    return redirect("people:declarations", public_id=person.public_id)
