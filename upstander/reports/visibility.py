"""The one rule for which reports the force may see: a report on the force route, or an independent-route report
once the overseer has released it (Report.released_on). Until then an independent-route report, and a case made
from it, exist only for the overseer (DESIGN.md's persona table).

Staff access functions (cases/access.py, cases/report_access.py, cases/history.py) build their queries from these;
who may see which case is theirs to decide, whether the force may see a matter at all is decided here.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from upstander.reports.choices import Route
from upstander.reports.models import Report


def released_to_force() -> Q:
    """On Report: the force may see it (force route, or released by the overseer)."""
    return Q(route=Route.FORCE) | Q(released_on__isnull=False)


def force_reports(organisation) -> Q:
    """On Report: what the force organisation `organisation` may see (its own, released to it)."""
    return released_to_force() & Q(handling_org=organisation)


def case_released_to_force(via: str = "") -> Q:
    """On Case, or with `via="case"` on a model with a `case` foreign key: the case is on the force route, or one
    of its reports was released by the overseer."""
    prefix = f"{via}__" if via else ""
    released = Report.objects.filter(case=OuterRef(f"{via}_id" if via else "pk"), released_on__isnull=False)
    return Q(**{f"{prefix}route": Route.FORCE}) | Q(Exists(released))
