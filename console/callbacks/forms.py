from django import forms
from django.core.exceptions import ValidationError

from console.callbacks.services import window_check
from console.cases.forms import DATETIME_LOCAL
from console.dates import moment_in_window_validate


class WindowForm(forms.Form):
    window_start = forms.DateTimeField(label="From", widget=DATETIME_LOCAL, validators=[moment_in_window_validate])
    window_end = forms.DateTimeField(label="Until", widget=DATETIME_LOCAL, validators=[moment_in_window_validate])
    text_customer = forms.BooleanField(label="Text the customer this time slot (SMS)", required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("window_start") and data.get("window_end"):
            try:
                window_check(start=data["window_start"], end=data["window_end"])
            except ValidationError as exc:
                self.add_error("window_end", exc)
        return data


class CallbackPromiseForm(WindowForm):
    phone = forms.CharField(
        label="Number to call",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    about = forms.CharField(
        label="About",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Second SIM card not delivered", "autocomplete": "off"}),
    )

    field_order = ["window_start", "window_end", "phone", "about", "text_customer"]


class CallbackCompleteForm(forms.Form):
    outcome = forms.CharField(
        label="How the call went",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "What was said and agreed"}),
    )
    next_step = forms.CharField(
        label="Next step",
        max_length=250,
        required=False,
        help_text="Leave empty when the matter is done: a callback case is then resolved.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
