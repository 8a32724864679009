"""The front door of the staff side: `/` sends a signed-in member to their page for today (and anyone else to the
reporter side or the staff sign-in), and `/today/` lists what needs doing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from upstander.accounts.permissions import ALL_STAFF, staff_view
from upstander.workspace.today import todos_for


@require_GET
def front_door(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("workspace:today")
    return render(request, "workspace/front_door.html")


@staff_view(ALL_STAFF)
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    items = todos_for(request.user)
    return render(request, "workspace/today.html", {
        "todos": [t for t in items if t.count or not t.urgent],
        "urgent": sum(1 for t in items if t.urgent),
    })
