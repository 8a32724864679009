"""Formatting of figures in insight pages and reports: a withheld (suppressed) count shows as "x", an absent figure
as "–", never as zero."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def count(value: Any) -> str:
    if value is None:
        return "x"
    return f"{int(value):,}"


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def ratio(value: Any) -> str:
    if value is None:
        return "–"
    return f"{float(value):.2f}"


@register.filter
def days(value: Any) -> str:
    if value is None:
        return "–"
    return f"{float(value):,.0f}"


@register.filter
def interval(row: dict[str, Any]) -> str:
    low, high = row.get("ci_low"), row.get("ci_high")
    if low is None or high is None:
        return ""
    return f"{low:.2f}–{high:.2f}"


@register.filter
def label(value: Any) -> str:
    return str(value).replace("_", " ")


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None
