"""Who may do what, in one place: the role sets every app checks against, the one role check actions make
(`require_role`), and the decorator staff views name their roles with (`staff_view`). Deny by default: a role not
named here for something may not do it.

A role set names account roles (accounts.models.Role) and, where an operator's command may act, `SYSTEM`: the role of
a named system actor (`Actor.system("tick")`), which is audited like anyone else. Object-level rules (which case,
which report, which task) live in each app's access.py; this module only answers "may someone in this role ever".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from upstander.accounts.models import Role
from upstander.audit.log import REPORTER_ROLE, Actor, actor_of

SYSTEM = "system"  # the role of a named system actor (audit.log.Actor.system)
REPORTER = REPORTER_ROLE  # the reporter, acting through their receipt (no account)

# --- who sees what (DESIGN.md's persona table) --------------------------------------------------------------------

ALL_STAFF: frozenset[str] = frozenset(Role.values)
OVERSEER_ONLY: frozenset[str] = frozenset({Role.OVERSEER})
# Case content (narratives, statements, subjects): the force's case workers and the overseer. Which cases each may
# see is cases/access.py's rule; nobody else ever sees case content.
CASE_CONTENT_ROLES: frozenset[str] = frozenset({Role.HANDLER, Role.SUPERVISOR, Role.OVERSEER})
# The force's own case workers: they see only their organisation's (and unit's) cases.
FORCE_CASE_ROLES: frozenset[str] = frozenset({Role.HANDLER, Role.SUPERVISOR})
# Reports: case content roles, and a facilitator for the disclosures they recorded.
REPORT_ROLES: frozenset[str] = CASE_CONTENT_ROLES | {Role.FACILITATOR}
# Aggregate figures (insight): the analyst and the overseer.
ANALYST_ROLES: frozenset[str] = frozenset({Role.ANALYST, Role.OVERSEER})

# --- the case workflow's neighbours -------------------------------------------------------------------------------

# Linking a subject mention to the roster without a handler: the resolver (a system actor) or the overseer.
MENTION_RESOLVERS: frozenset[str] = frozenset({SYSTEM, Role.OVERSEER})
# Safeguarding tasks name the reporter: only the overseer (and system actors) act on them.
TASK_HOLDERS: frozenset[str] = frozenset({SYSTEM, Role.OVERSEER})
# Who may ask for the separation check and record protected parties: the case's own workers and the overseer.
CASE_WORKERS: frozenset[str] = CASE_CONTENT_ROLES | {SYSTEM}
# Retaliation: monitoring runs as a system actor or the overseer; a claim comes from the reporter or is recorded
# for them by a case worker; only the overseer (or a system actor) closes an alert.
MONITORS: frozenset[str] = frozenset({SYSTEM, Role.OVERSEER})
CLAIM_RECORDERS: frozenset[str] = CASE_WORKERS | {REPORTER}
ALERT_CLOSERS: frozenset[str] = frozenset({SYSTEM, Role.OVERSEER})

# --- the roster ---------------------------------------------------------------------------------------------------

# Who may change the roster by import: operators (system actors), administrators and the HR feed's token.
ROSTER_IMPORTERS: frozenset[str] = frozenset({SYSTEM, Role.ADMIN})
# Who may record an HR event from inside the system (a restriction, a separation move, a leaving date).
HR_RECORDERS: frozenset[str] = frozenset({SYSTEM, Role.SUPERVISOR, Role.OVERSEER})
# Who may tell the system that someone left, and so continue their open cases as former-officer cases.
LEAVER_RECORDERS: frozenset[str] = ROSTER_IMPORTERS | HR_RECORDERS
# Who may keep someone's declared interests on their behalf (a person always keeps their own). The same people see
# anyone's declarations; SYSTEM is for commands.
DECLARATION_KEEPERS: frozenset[str] = frozenset({SYSTEM, Role.SUPERVISOR, Role.OVERSEER, Role.ADMIN})
DECLARATION_READERS: frozenset[str] = frozenset({Role.SUPERVISOR, Role.OVERSEER})
TOKEN_KEEPERS: frozenset[str] = frozenset({SYSTEM, Role.ADMIN})

# --- key custody, identities and retention ------------------------------------------------------------------------

# Members of an organisation that holds a key (everyone who reads reports, and the custodians).
KEY_ROLES: frozenset[str] = REPORT_ROLES | {Role.CUSTODIAN}
ACCOUNT_MANAGERS: frozenset[str] = frozenset({Role.ADMIN})
# Creating, re-roling and disabling staff accounts: an administrator, or an operator's command (a system actor).
ACCOUNT_ADMINS: frozenset[str] = frozenset({SYSTEM, Role.ADMIN})
ACCOUNT_READERS: frozenset[str] = frozenset({Role.ADMIN, Role.OVERSEER})
MEMBER_REMOVERS: frozenset[str] = ACCOUNT_READERS
# Only custodians ask for and open a sealed identity; the overseer approves and watches (policy/break_glass.toml
# names the approvers).
IDENTITY_ROLES: frozenset[str] = frozenset({Role.CUSTODIAN, Role.OVERSEER})
# Legal holds: a supervisor or the overseer, on a case they can see.
HOLD_ROLES: frozenset[str] = frozenset({Role.SUPERVISOR, Role.OVERSEER})


def require_role(actor, roles: Iterable[str], doing: str) -> Actor:
    """The one role check of the action layer: the actor (a user or a named actor) is in `roles`, or
    PermissionDenied says who may not do what. Returns the actor as the audit log names them."""
    who = actor_of(actor)
    if who.role not in roles:
        raise PermissionDenied(f"{who.label} may not {doing}")
    return who


def staff_view(roles: Iterable[str]) -> Callable:
    """Decorator for staff views: signed in with two factors, and in one of `roles`; anyone else is refused."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not user.is_verified():  # type: ignore[union-attr,attr-defined]
                return redirect_to_login(request.get_full_path())
            if user.role not in allowed:  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.staff_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator
