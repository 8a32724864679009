from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def with_hints(bound_field):
    """[(subwidget, hint)] for a radio or checkbox group; hints come from the form's `choice_hints`."""
    hints = getattr(bound_field.form, "choice_hints", {}).get(bound_field.name, {})
    return [(w, hints.get(str(w.data["value"]), "")) for w in bound_field.subwidgets]


@register.filter
def control(bound_field) -> str:
    """What kind of control a field is, for the templates: choices, checkbox, file, hidden or input."""
    widget = bound_field.field.widget
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.ClearableFileInput):
        return "file"
    if widget.is_hidden:
        return "hidden"
    return "input"
