from django import forms


class JourneyStartForm(forms.Form):
    template = forms.TypedChoiceField(label="Journey", coerce=int)
    order_number = forms.CharField(
        label="Order number",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. WS-2026-11851", "autocomplete": "off"}),
    )
    title = forms.CharField(
        label="Case title",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "The journey's name if left empty", "autocomplete": "off"}),
    )

    def __init__(self, *args, templates: list[tuple[int, str]], **kwargs):
        """``templates``: (id, name) of the journeys that can be started (``startable_templates``),
        read by the view, so that rendering the form reads nothing."""
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = templates


class JourneyChoiceForm(forms.Form):
    choice = forms.CharField(max_length=300)
