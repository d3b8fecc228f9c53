from django import forms

from console.cases.complaints import ANSWER_CHANNELS, answer_send_channels
from console.cases.models import Case, Team
from console.dates import moment_in_window_validate
from console.timeline.models import Channel

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Channels a case can come in on, as an agent picks them (not "system").
CASE_CHANNELS = [c for c in Channel.choices if c[0] != Channel.SYSTEM]


class CaseOpenForm(forms.Form):
    title = forms.CharField(
        label="What is it about",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Second SIM card not delivered", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label="Kind", choices=Case.Kind.choices, initial=Case.Kind.QUESTION)
    channel = forms.ChoiceField(label="Came in on", choices=CASE_CHANNELS)
    team = forms.ChoiceField(label="Queue", choices=Team.choices)
    due_at = forms.DateTimeField(
        label="Due",
        required=False,
        widget=DATETIME_LOCAL,
        validators=[moment_in_window_validate],
        help_text="A complaint without one gets its deadline.",
    )
    next_step = forms.CharField(
        label="Next step",
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": "e.g. Call the courier about the ID check", "autocomplete": "off"}
        ),
    )


class CaseUpdateForm(forms.Form):
    owner = forms.TypedChoiceField(label="Owner", coerce=int, empty_value=None, required=False)
    team = forms.ChoiceField(label="Queue", choices=Team.choices)
    status = forms.ChoiceField(label="Status", choices=Case.Status.choices)
    due_at = forms.DateTimeField(
        label="Due", required=False, widget=DATETIME_LOCAL, validators=[moment_in_window_validate]
    )
    next_step = forms.CharField(label="Next step", max_length=300, required=False)
    resolution = forms.CharField(
        label="Resolution",
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "When resolving or closing: what was done"}),
    )

    def __init__(self, *args, owners, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Nobody")] + [
            (u.pk, u.get_full_name() or u.get_username()) for u in owners
        ]
        if case.kind == Case.Kind.COMPLAINT:
            # Closing a complaint takes the answer the customer received: the close form.
            # (A closed one keeps its status in the list, so saving another change leaves it closed.)
            self.fields["status"].choices = [
                c for c in Case.Status.choices if c[0] in Case.OPEN_STATUSES or c[0] == case.status
            ]
            # Its resolution is that answer, as sent.
            del self.fields["resolution"]


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label="Internal note",
        max_length=10_000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "Only colleagues see this. Type @username to notify a colleague."}
        ),
    )


class ComplaintCloseForm(forms.Form):
    """The answer and how it reaches the customer: sent from here through messaging
    ("send:sms"), or recorded as already given another way ("phone")."""

    SEND = "send:"

    resolution = forms.CharField(
        label="The answer to the customer",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "What was decided and what happens next"}),
    )
    channel = forms.ChoiceField(
        label="How it reaches the customer",
        error_messages={"required": "Choose how the answer reaches the customer: send it now, or how it was given."},
    )

    def __init__(self, *args, case, can_send: bool, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = [(c.value, c.label) for c in ANSWER_CHANNELS]
        if can_send:
            sendable = answer_send_channels(case)
            send = [(self.SEND + c, f"Send it now by {Channel(c).label}") for c in sendable]
            # No default: an answer already given by phone must not go out a second time by mistake.
            self.fields["channel"].choices = [
                ("", "Choose…"),
                ("Send the answer now", send),
                ("Already answered by", recorded),
            ]
        else:
            self.fields["channel"].choices = [("", "Choose…"), ("Already answered by", recorded)]

    def clean(self):
        data = super().clean()
        channel = data.get("channel", "")
        data["send"] = channel.startswith(self.SEND)
        data["channel"] = channel.removeprefix(self.SEND)
        return data


class EntryLinkForm(forms.Form):
    case = forms.TypedChoiceField(label="Case", coerce=int)

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(c.pk, f"{c.reference} · {c.title}") for c in cases]
