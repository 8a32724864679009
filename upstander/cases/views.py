from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from upstander.accounts.models import Role
from upstander.accounts.permissions import staff_view
from upstander.cases.access import visible_cases
from upstander.lib.policy import category_label

CASE_LIST_ROLES = (Role.HANDLER, Role.SUPERVISOR, Role.OVERSEER)


@staff_view(CASE_LIST_ROLES)
def case_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    cases = visible_cases(request.user).select_related("owner").order_by("opened_on", "code")  # type: ignore[arg-type]
    state = request.GET.get("state", "")
    if state:
        cases = cases.filter(state=state)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "code": c.code, "state": c.state.replace("_", " "), "category": category_label(c.main_category),
            "age_days": (today - c.opened_on).days, "owner": c.owner.get_full_name() or c.owner.username if c.owner else "",
        }
        for c in page.object_list
    ]
    return render(request, "cases/case_list.html", {"rows": rows, "page": page, "state": state})
