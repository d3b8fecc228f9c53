from django import forms

from console.timeline.models import Channel
from console.timeline.services import AGENT_RECORD_KINDS

RECORD_KIND_LABELS = {
    "note": "Note",
    "call": "Call summary",
    "store_visit": "Store visit",
    "interaction": "Contact on another channel",
}


class InteractionForm(forms.Form):
    record_kind = forms.ChoiceField(
        label="What", choices=[(k, RECORD_KIND_LABELS[k]) for k in AGENT_RECORD_KINDS], initial="note"
    )
    channel = forms.ChoiceField(label="Channel", choices=[c for c in Channel.choices if c[0] != Channel.SYSTEM])
    summary = forms.CharField(
        label="Summary",
        max_length=500,
        strip=True,
        widget=forms.TextInput(attrs={"placeholder": "What happened, in one line", "autocomplete": "off"}),
    )
    body = forms.CharField(
        label="Details",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Details (optional)"}),
    )
