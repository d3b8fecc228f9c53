from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from console.flags.models import Flag


class FlagOverrideForm(forms.Form):
    """A manager's override: one of the flag's own levels, a reason, and the last day it holds."""

    level = forms.ChoiceField()
    reason = forms.CharField(
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "e.g. Payment plan agreed with finance on 24-11"}),
    )
    until = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.value, level.label) for level in Flag.LEVELS[kind]]
        self.fields["until"].initial = timezone.localdate() + timedelta(days=7)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why; colleagues see the reason on the badge.")
        return reason

    def clean_until(self):
        day = self.cleaned_data["until"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError("The override must last at least until the end of today.")
        if day > today + timedelta(days=366):
            raise forms.ValidationError("An override lasts at most a year; look at it again by then.")
        return day

    def until_moment(self) -> datetime:
        """The end of the chosen day, in the console's time zone."""
        return timezone.make_aware(datetime.combine(self.cleaned_data["until"] + timedelta(days=1), time.min))
