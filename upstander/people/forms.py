from __future__ import annotations

from django import forms

from upstander.people.choices import AssociationKind
from upstander.people.models import Person


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of association", choices=AssociationKind.choices)
    body = forms.CharField(label="Its name, or a description of the relationship", max_length=200)
    counterpart_number = forms.CharField(
        label="Warrant or staff number of the other person (relationships)", max_length=32, required=False)
    declared_on = forms.DateField(label="Since (YYYY-MM-DD)", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        number = (data.get("counterpart_number") or "").strip()
        data["counterpart"] = None
        if number:
            data["counterpart"] = Person.objects.filter(number=number).first()
            if data["counterpart"] is None:
                self.add_error("counterpart_number", "No one in the roster has that number.")
        elif data.get("kind") == AssociationKind.RELATIONSHIP:
            self.add_error("counterpart_number", "A relationship at work names the other person's number.")
        return data
