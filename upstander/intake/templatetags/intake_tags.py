"""Template helpers for the reporter's forms, after the GOV.UK Design System's patterns: each field's hint and error
message have ids that the control (or its fieldset) names in aria-describedby, and each error summary link points at
the first control of its field, so following it lands on the box or option to fix."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def with_hints(bound_field):
    """[(subwidget, hint)] for a radio or checkbox group; hints come from the form's `choice_hints`."""
    hints = getattr(bound_field.form, "choice_hints", {}).get(bound_field.name, {})
    return [(w, hints.get(str(w.data["value"]), "")) for w in bound_field.subwidgets]


def _is_group(bound_field) -> bool:
    return isinstance(bound_field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))


@register.filter
def control(bound_field) -> str:
    """What kind of control a field is, for the templates: choices, checkbox, file, hidden or input."""
    widget = bound_field.field.widget
    if _is_group(bound_field):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.ClearableFileInput):
        return "file"
    if widget.is_hidden:
        return "hidden"
    return "input"


@register.filter
def hint_id(bound_field) -> str:
    return f"{bound_field.auto_id}_helptext"


@register.filter
def error_id(bound_field) -> str:
    return f"{bound_field.auto_id}-error"


@register.filter
def described_by(bound_field) -> str:
    """The ids of the field's hint and error message, for aria-describedby."""
    ids = []
    if bound_field.help_text:
        ids.append(hint_id(bound_field))
    if bound_field.errors:
        ids.append(error_id(bound_field))
    return " ".join(ids)


@register.filter
def widget(bound_field) -> SafeString:
    """The control, naming its hint and error message (Django names only the hint by itself)."""
    attrs = {"aria-describedby": described_by(bound_field)} if described_by(bound_field) else {}
    if bound_field.errors:
        attrs["class"] = " ".join(filter(None, [bound_field.field.widget.attrs.get("class", ""), "input-error"]))
    return bound_field.as_widget(attrs=attrs)


@register.filter
def grouped_widget(bound_field) -> SafeString:
    """A control inside a group (the day, month and year boxes): the fieldset names the hint and the error."""
    attrs = {}
    if bound_field.errors:
        attrs["class"] = " ".join(filter(None, [bound_field.field.widget.attrs.get("class", ""), "input-error"]))
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def choice_input(subwidget, hint: str) -> SafeString:
    """One radio or checkbox of a group; when its option has a hint, the input names it in aria-describedby."""
    if hint:
        subwidget.data["attrs"] = {**subwidget.data["attrs"], "aria-describedby": f"{subwidget.id_for_label}-hint"}
    return subwidget.tag()


@register.filter
def first_input_id(bound_field) -> str:
    """The id of the field's first control: the first option of a group, the box itself otherwise."""
    return f"{bound_field.auto_id}_0" if _is_group(bound_field) else bound_field.auto_id


@register.simple_tag
def error_links(form=None, extra=None, extra_href: str = "") -> list[tuple[str, str]]:
    """(message, href) for the error summary, in the order of the fields on the page."""
    links: list[tuple[str, str]] = []
    if form is not None:
        links += [(str(e), "") for e in form.non_field_errors()]
        for field in form:
            links += [(str(e), f"#{first_input_id(field)}") for e in field.errors]
    links += [(str(e), extra_href) for e in extra or []]
    return links
