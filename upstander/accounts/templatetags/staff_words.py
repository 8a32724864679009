"""Plain words for staff pages: people by name and role, things by what they are, never internal labels
("user:handler", "system:tick", "cases.case 3f2…") or action codes ("allegation.create")."""

from __future__ import annotations

from django import template

from upstander.accounts.models import Role, User

register = template.Library()

SYSTEM_ACTORS = {
    "tick": "Upstander's scheduled check", "import": "a data import", "setup": "installation set-up",
    "demo": "the demo set-up", "accounts": "an operator's command", "people": "an operator's command",
    "retaliation": "retaliation monitoring", "worldgen": "the synthetic force generator", "witness": "the overseer's witness",
}
THINGS = {
    "cases.case": "case", "cases.report": "report", "reports.report": "report", "cases.allegation": "allegation",
    "cases.subjectmention": "person named in a report", "reports.subjectmention": "person named in a report",
    "reports.message": "message", "reports.attachment": "file", "reports.reporterrequest": "reporter's request",
    "reports.sealedkey": "report key", "insight.publishedreport": "published report",
    "evidence.chatexport": "chat export", "evidence.chatmessage": "chat message", "cases.assignment": "assignment", "cases.flag": "safety-net flag",
    "cases.decision": "decision", "cases.escalation": "escalation", "accounts.user": "staff account",
    "accounts.organisation": "organisation", "people.person": "member of staff", "safeguarding.retaliationalert":
    "retaliation alert", "safeguarding.safeguardingtask": "safeguarding task", "custody.disclosurerequest":
    "identity request", "custody.legalhold": "legal hold",
}


@register.filter
def who(label: str) -> str:
    """An audit or timeline actor label in words: "user:jsmith" → "Jane Smith (case handler / investigator)"."""
    label = str(label or "")
    kind, _, name = label.partition(":")
    if kind == "user" and name:
        user = User.objects.filter(username=name).only("first_name", "last_name", "role").first()
        if user is None:
            return name
        role = Role(user.role).label.lower() if user.role in Role.values else ""
        return f"{user.get_full_name() or name} ({role})" if role else user.get_full_name() or name
    if kind == "system":
        return SYSTEM_ACTORS.get(name, "Upstander")
    if label == "reporter":
        return "the reporter"
    return label


@register.filter
def thing(object_type: str) -> str:
    """A model label in words: "cases.case" → "case"."""
    return THINGS.get(str(object_type or ""), str(object_type or "").rsplit(".", 1)[-1] or "record")


@register.filter
def action_words(action: str) -> str:
    """"allegation.create" → "allegation create", for an audit row that has no better description."""
    return str(action or "").replace(".", " ").replace("_", " ")
