"""Template context for staff pages: the navigation of the signed-in member's role."""

from __future__ import annotations

from upstander.workspace.nav import current, nav_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith("/report/"):
        return {}
    items = nav_for(user)
    return {"staff_nav": items, "staff_nav_current": current(items, request.path)}
