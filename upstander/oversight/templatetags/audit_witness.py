"""{% witness_status %}: one paragraph on when the overseer's witness last confirmed the audit log."""

from __future__ import annotations

from typing import Any

from django import template

from upstander.oversight.audit_views import witness_summary

register = template.Library()


@register.inclusion_tag("oversight/audit/witness_status.html")
def witness_status() -> dict[str, Any]:
    return {"witness": witness_summary(), "show_link": True}
